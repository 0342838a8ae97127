// "Run again": a new run of the same task, by the same agent, on the same branch (it continues from the
// branch's last checkpoint, so nothing the earlier run committed is lost).
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import {
  ACTIVE_RUN_STATUSES,
  agents,
  isAgentWorkRun,
  JUDGE_RUN_KIND,
  type RunStatus,
  runs,
  tasks,
} from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { queueRun } from "./queue-run";

const STATUS_WORDS: Record<string, string> = {
  queued: "queued",
  running: "running",
  waiting_approval: "waiting for approval",
  verifying: "verifying",
};
/** A closed task stays closed: its work is merged or thrown away. */
const CLOSED = new Set(["merged", "discarded"]);

export const runAgainSchema = z.object({ runId: z.string().trim().min(1, "Choose a run.") });

export async function runAgain(actor: Actor, raw: z.input<typeof runAgainSchema>) {
  authorize(actor, "tasks:assign");
  const { runId } = runAgainSchema.parse(raw);
  if (!isUuid(runId)) throw notFound("Run");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [parent] = await tx
      .select()
      .from(runs)
      .where(and(eq(runs.id, runId), eq(runs.teamId, actor.teamId)));
    if (!parent) throw notFound("Run");
    if (parent.kind === JUDGE_RUN_KIND)
      throw conflict("A judge's run is not an attempt: ask the judge again from the Compare view.");
    // The task row is the lock: two people pressing "Run again" at once queue one run, not two.
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, parent.taskId)).for("update");
    if (!task) throw notFound("Task");
    if (CLOSED.has(task.status))
      throw conflict(`Task #${task.number} is ${task.status}; it can't run again.`);
    // Best-of-N: once one attempt is promoted, the others are closed (lib/compare/promote.ts).
    if (task.promotedBranch && parent.branch !== task.promotedBranch)
      throw conflict(`This attempt was closed when ${task.promotedBranch} was promoted.`);
    const [busy] = await tx
      .select({ status: runs.status })
      .from(runs)
      .where(
        and(
          eq(runs.taskId, task.id),
          isAgentWorkRun,
          inArray(runs.status, [...ACTIVE_RUN_STATUSES] as RunStatus[]),
        ),
      )
      .limit(1);
    if (busy) {
      throw conflict(
        `A run of task #${task.number} is still ${STATUS_WORDS[busy.status] ?? busy.status}. ` +
          "Wait for it to end, or cancel it, before running the task again.",
      );
    }
    const [agent] = await tx.select().from(agents).where(eq(agents.id, parent.agentId));
    if (!agent) throw notFound("Agent");
    const created = await queueRun(
      tx,
      actor,
      task,
      {
        // The agent as it is now (its model may have been changed to fix what went wrong); the budgets
        // as the task set them for the earlier run.
        agent,
        branch: parent.branch,
        kind: "rerun",
        parentRunId: parent.id,
        budgets: {
          maxSteps: parent.maxSteps,
          maxCostUsd: parent.maxCostUsd,
          maxDurationSec: parent.maxDurationSec,
        },
      },
      {
        notice: "run",
        audit: (queued) => ({
          action: "run.rerun",
          object: { type: "run", id: queued.id },
          details: {
            taskId: task.id,
            number: task.number,
            parentRunId: parent.id,
            previousStatus: parent.status,
          },
        }),
      },
    );
    // Queued again: a failed task leaves its assigner's inbox, the board moves its card.
    await tx.update(tasks).set({ status: "queued", updatedAt: new Date() }).where(eq(tasks.id, task.id));
    return created;
  });
}
