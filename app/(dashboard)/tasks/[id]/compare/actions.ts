"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { askJudge } from "@/lib/compare/judge";
import { promoteAttempt } from "@/lib/compare/promote";

export const promoteAction = authedAction(
  z.object({ taskId: z.string().min(1), runId: z.string().min(1) }),
  "tasks:review",
  async ({ taskId, runId }, actor) => {
    const result = await promoteAttempt(actor, taskId, { runId });
    for (const page of ["compare", "review", ""]) revalidatePath(`/tasks/${taskId}/${page}`);
    return result.closedBranches.length;
  },
  (closed) =>
    `Attempt promoted; ${closed} other ${closed === 1 ? "attempt was" : "attempts were"} closed. Review and merge it as usual.`,
);

export const askJudgeAction = authedAction(
  z.object({ taskId: z.string().min(1), agentId: z.string() }),
  "tasks:review",
  async ({ taskId, agentId }, actor) => {
    await askJudge(actor, taskId, { agentId });
    revalidatePath(`/tasks/${taskId}/compare`);
    return null;
  },
  () => "The judge is on its way: its ranking appears here when it ends.",
);
