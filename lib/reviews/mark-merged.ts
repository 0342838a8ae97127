// The one place a task becomes merged. Whatever must follow a merge (tasks that wait on this one, …) hooks
// here: it runs in the transaction that records the merge, so it commits (or not) with it.
import { eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { type Task, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { onTaskMerged } from "@/lib/tasks/dependency-events";

export interface MergedDetails {
  /** The commit on the base branch that holds the change, and the branch's head that was merged. */
  sha: string;
  head: string;
  branch: string;
  strategy: string;
  verified: boolean;
  closedBranches: string[];
}

/** Marks the (locked) task merged, with its audit row and the team's notice. */
export async function markTaskMerged(tx: Tx, actor: Actor, task: Task, merged: MergedDetails): Promise<Task> {
  const now = new Date();
  const [row] = await tx
    .update(tasks)
    .set({
      status: "merged",
      mergedAt: now,
      closedAt: now,
      mergeSha: merged.sha,
      mergedBranch: merged.branch,
      mergedHeadSha: merged.head,
      conflictFiles: null,
      updatedAt: now,
    })
    .where(eq(tasks.id, task.id))
    .returning();
  await recordAudit(
    tx,
    actor,
    "task.merged",
    { type: "task", id: task.id },
    {
      number: task.number,
      baseBranch: task.baseBranch,
      branch: merged.branch,
      sha: merged.sha,
      head: merged.head,
      strategy: merged.strategy,
      verified: merged.verified,
      ...(merged.closedBranches.length > 0 ? { closedBranches: merged.closedBranches } : {}),
    },
  );
  // Tasks that waited on this one may start now (lib/tasks/dependency-events.ts).
  await onTaskMerged(tx, actor, task.id);
  await notifyTeamChange(tx, { teamId: task.teamId, kind: "task", taskId: task.id });
  return row ?? task;
}
