"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { approvalSchema, cancelRun, decideApproval, messageSchema, sendRunMessage } from "@/lib/runs/service";

const runId = z.string().min(1);

export const cancelRunAction = authedAction(
  z.object({ runId }),
  "tasks:assign",
  async (input, actor) => {
    const run = await cancelRun(actor, input.runId);
    revalidatePath(`/runs/${run.id}`);
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
    revalidatePath(`/runs/${runId}`);
  },
  "Message sent. The agent reads it before its next step.",
);

export const decideApprovalAction = authedAction(
  approvalSchema.extend({ runId }),
  "runs:approve",
  async ({ runId, toolUseId, approved }, actor) => {
    const result = await decideApproval(actor, runId, { toolUseId, approved });
    revalidatePath(`/runs/${runId}`);
    return result;
  },
  ({ approved }) => (approved ? "Command approved." : "Command denied."),
);
