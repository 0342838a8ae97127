"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { loadDemoWorkspace } from "@/lib/demo/workspace";

export const loadDemoWorkspaceAction = authedAction(
  z.object({}),
  "settings:manage",
  async (_input, actor) => {
    const { repo, agent } = await loadDemoWorkspace(actor);
    redirect(`/tasks/new?repo=${repo.id}&agent=${agent.id}&demo=1`);
  },
);
