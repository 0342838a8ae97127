// Rows every review action starts from, read inside the action's transaction.
import { and, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { repositories, runs, type Task, tasks, teams } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

export const ACTIVE_RUN_STATUSES = new Set(["queued", "running", "waiting_approval", "verifying"]);

/** The task, locked for the rest of the transaction so two reviewers' decisions happen one at a time. */
export async function lockTask(tx: Tx, actor: Actor, taskId: string): Promise<Task> {
  if (!isUuid(taskId)) throw notFound("Task");
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.teamId, actor.teamId)))
    .for("update");
  if (!task) throw notFound("Task");
  return task;
}

/** The run whose work is under review: the task's newest run. */
export async function latestRun(tx: Tx, taskId: string) {
  const [run] = await tx
    .select()
    .from(runs)
    .where(eq(runs.taskId, taskId))
    .orderBy(desc(runs.queuedAt), desc(runs.id))
    .limit(1);
  if (!run) throw conflict("This task has no run to review yet.");
  return run;
}

export function refuseWhileRunning(run: { status: string }) {
  if (ACTIVE_RUN_STATUSES.has(run.status)) {
    throw conflict("The agent is still working on this task. Wait for its run to end.");
  }
}

export async function repoOf(db: Db | Tx, task: Task) {
  const [repo] = await db.select().from(repositories).where(eq(repositories.id, task.repoId));
  if (!repo) throw notFound("Repository");
  return repo;
}

/** Team setting: an approval must come from someone other than the person who assigned the task. */
export async function requiresIndependentApproval(db: Db | Tx, teamId: string): Promise<boolean> {
  const [team] = await db.select({ settings: teams.settings }).from(teams).where(eq(teams.id, teamId));
  // Stored in the team settings' "approvals" group (Settings → General); a top-level key is read too.
  const settings = (team?.settings ?? {}) as {
    approvals?: { requireIndependentApproval?: unknown };
    requireIndependentApproval?: unknown;
  };
  return (
    settings.approvals?.requireIndependentApproval === true || settings.requireIndependentApproval === true
  );
}

export const TASK_STATUS_LABELS: Record<string, string> = {
  queued: "queued",
  running: "running",
  needs_human: "waiting for a person",
  in_review: "in review",
  changes_requested: "waiting for the agent's changes",
  approved: "approved",
  conflict: "in conflict",
  merged: "merged",
  failed: "failed",
  cancelled: "cancelled",
  discarded: "discarded",
};

export function refuseUnless(task: Task, allowed: string[], action: string) {
  if (!allowed.includes(task.status)) {
    throw conflict(`This task is ${TASK_STATUS_LABELS[task.status] ?? task.status}; it can't be ${action}.`);
  }
}
