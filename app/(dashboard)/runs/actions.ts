"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { runAgain, runAgainSchema } from "@/lib/runs/run-again";
import { approvalSchema, cancelRun, decideApproval, messageSchema, sendRunMessage } from "@/lib/runs/service";

// No revalidatePath here: the run page follows its run over SSE, and the board and the inbox follow
// team changes, so re-rendering the whole page after each click would only repeat that work.

const runId = z.string().min(1);

export const cancelRunAction = authedAction(
  z.object({ runId }),
  "tasks:assign",
  async (input, actor) => {
    const run = await cancelRun(actor, input.runId);
    return { wasQueued: run.status === "queued" };
  },
  ({ wasQueued }) =>
    wasQueued ? "Run cancelled." : "Cancel requested: the agent stops after its current step.",
);

export const sendRunMessageAction = authedAction(
  messageSchema.extend({ runId }),
  "tasks:assign",
  async ({ runId, text }, actor) => {
    await sendRunMessage(actor, runId, { text });
  },
  "Message sent. The agent reads it before its next step.",
);

export const decideApprovalAction = authedAction(
  approvalSchema.extend({ runId }),
  "runs:approve",
  async ({ runId, toolUseId, approved }, actor) => {
    return decideApproval(actor, runId, { toolUseId, approved });
  },
  ({ approved }) => (approved ? "Command approved." : "Command denied."),
);

/** A new run of the same task; the person is taken to watch it. */
export const runAgainAction = authedAction(runAgainSchema, "tasks:assign", async (input, actor) => {
  const run = await runAgain(actor, input);
  redirect(`/runs/${run.id}`);
});
