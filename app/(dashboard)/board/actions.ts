"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { resetDemoWorkspace } from "@/lib/demo/reset";
import { loadDemoWorkspace } from "@/lib/demo/workspace";

export const loadDemoWorkspaceAction = authedAction(
  z.object({}),
  "settings:manage",
  async (_input, actor) => {
    const { repo, agent } = await loadDemoWorkspace(actor);
    redirect(`/tasks/new?repo=${repo.id}&agent=${agent.id}&demo=1`);
  },
);

/** Puts the demo's failing test back on main (once its fix is merged) and opens the demo task again. */
export const resetDemoWorkspaceAction = authedAction(
  z.object({}),
  "settings:manage",
  async (_input, actor) => {
    await resetDemoWorkspace(actor);
    // Loading is idempotent: it finds the repository and the agent (recreating an agent deleted meanwhile).
    const { repo, agent } = await loadDemoWorkspace(actor);
    redirect(`/tasks/new?repo=${repo.id}&agent=${agent.id}&demo=1`);
  },
);
