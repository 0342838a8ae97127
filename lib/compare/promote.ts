// Best-of-N: the reviewer promotes one agent's attempt at a task. The other attempts are closed, their
// branches archived and deleted as a discard's are; the promoted one is then reviewed, approved and merged as usual.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { type Task, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { closeTaskBranches } from "@/lib/git/branches";
import { isUuid } from "@/lib/ids";
import { parseInput } from "@/lib/models/parse";
import { assertBranchHasChanges } from "@/lib/reviews/branch-changes";
import { lineOfRun } from "@/lib/reviews/lines";
import { loadLines, lockTask, refuseUnless, refuseWhileAnyRunning, repoOf } from "@/lib/reviews/load";
import { judgeFirstPick } from "./judge-view";

export const promoteSchema = z.object({
  runId: z.string({ error: "Name the attempt to promote (runId: any run of its branch)." }).trim().min(1, {
    error: "Name the attempt to promote (runId: any run of its branch).",
  }),
});
export type PromoteInput = z.input<typeof promoteSchema>;

/** A task whose attempts are all decided (merged, discarded) or still to start has nothing to choose. */
const PROMOTABLE = ["in_review", "needs_human", "changes_requested", "approved", "conflict", "failed"];

export interface PromoteResult {
  task: Task;
  branch: string;
  closedBranches: string[];
  /** Branches the source refused to delete (checked out there). */
  keptBranches: string[];
}

function refuseIfPromoted(task: Task) {
  if (task.promotedBranch) {
    throw conflict(`${task.promotedBranch} was already promoted; the other attempts are closed.`);
  }
}

export async function promoteAttempt(actor: Actor, taskId: string, raw: unknown): Promise<PromoteResult> {
  authorize(actor, "tasks:review");
  const input = parseInput(promoteSchema, raw);
  if (!isUuid(input.runId)) throw notFound("Run");
  const db = await getDb();
  // git is read before the transaction (which stays short): an empty attempt has nothing to promote.
  const preview = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseIfPromoted(task);
    const { lines } = await loadLines(tx, task);
    const line = lineOfRun(lines, input.runId);
    if (!line) throw notFound("Run");
    return { task, branch: line.branch, repo: await repoOf(tx, task) };
  });
  await assertBranchHasChanges(preview.repo, preview.task.baseBranch, preview.branch, "promote");

  const { task, others, branch } = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseIfPromoted(task);
    refuseUnless(task, PROMOTABLE, "promoted");
    const { runs: taskRuns, lines, approvedRunId } = await loadLines(tx, task);
    const line = lineOfRun(lines, input.runId);
    if (!line) throw notFound("Run");
    if (lines.length < 2) throw conflict("This task has one attempt: there is nothing to choose between.");
    refuseWhileAnyRunning(taskRuns);
    const others = lines.filter((l) => l.branch !== line.branch).map((l) => l.branch);
    // Whether a judge had ranked this attempt first: the metric "judge's first pick promoted".
    const judgePick = await judgeFirstPick(tx, task.id);
    // An approval of an attempt now closed no longer stands: the promoted one is reviewed afresh.
    const approved = approvedRunId ? lineOfRun(lines, approvedRunId) : undefined;
    const approvalGone =
      approved !== undefined &&
      approved.branch !== line.branch &&
      ["approved", "conflict"].includes(task.status);
    const [updated] = await tx
      .update(tasks)
      .set({
        promotedRunId: line.latest.id,
        promotedBranch: line.branch,
        promotedBy: actor.userId,
        promotedAt: new Date(),
        promotedJudgePick: judgePick === null ? null : judgePick === line.branch,
        updatedAt: new Date(),
        ...(approvalGone ? { approvedBy: null, approvedAt: null, conflictFiles: null } : {}),
        // The promoted attempt has changes (checked above): whatever another attempt asked or failed
        // at, the task is now the promoted one's review.
        ...(approvalGone || ["needs_human", "failed"].includes(task.status)
          ? { status: "in_review" as const }
          : {}),
      })
      .where(eq(tasks.id, task.id))
      .returning();
    await recordAudit(
      tx,
      actor,
      "task.promoted",
      { type: "task", id: task.id },
      {
        number: task.number,
        runId: line.latest.id,
        branch: line.branch,
        closedBranches: others,
        ...(judgePick === null ? {} : { judgeFirstPick: judgePick }),
        ...(approvalGone ? { approvalWithdrawn: approved?.branch } : {}),
      },
    );
    await notifyTeamChange(tx, { teamId: task.teamId, kind: "review", taskId: task.id });
    return { task: updated ?? task, others, branch: line.branch };
  });

  // The decision is stored; the closed attempts' branches go now, archived as a discard's are (their
  // diffs stay readable until the retention sweep, lib/tasks/archive.ts).
  const kept = await closeTaskBranches(preview.repo, task.id, others);
  return { task, branch, closedBranches: others, keptBranches: kept };
}
