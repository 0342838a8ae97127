// Rows every review action starts from, read inside the action's transaction.
import { and, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import {
  isActiveRun,
  isAgentWorkRun,
  repositories,
  reviews,
  runs,
  type Task,
  tasks,
  teams,
} from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { defaultLine, groupLines, lineOfRun, type RunLine } from "./lines";

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

/** The task's runs grouped into lines (one per agent's branch), and the approved line's run, if any. */
export async function loadLines(db: Db | Tx, task: Task) {
  const taskRuns = await db
    .select()
    .from(runs)
    .where(and(eq(runs.taskId, task.id), isAgentWorkRun))
    .orderBy(desc(runs.queuedAt), desc(runs.id));
  const [approval] = await db
    .select({ runId: reviews.runId })
    .from(reviews)
    .where(and(eq(reviews.taskId, task.id), eq(reviews.decision, "approved")))
    .orderBy(desc(reviews.createdAt))
    .limit(1);
  return {
    runs: taskRuns,
    lines: groupLines(taskRuns, task.agentId),
    approvedRunId: approval?.runId ?? null,
  };
}

/**
 * The line a decision acts on: the one holding `runId` when given (any run of it), else the default one
 * (see defaultLine). Its latest run is the one under review.
 */
export async function chooseLine(db: Db | Tx, task: Task, runId?: string) {
  const loaded = await loadLines(db, task);
  let line: RunLine | undefined;
  if (runId) {
    line = isUuid(runId) ? lineOfRun(loaded.lines, runId) : undefined;
    if (!line) throw notFound("Run");
  } else {
    line = defaultLine(loaded.lines, task, loaded.approvedRunId);
  }
  if (!line) throw conflict("This task has no run to review yet.");
  if (task.promotedBranch && line.branch !== task.promotedBranch) {
    throw conflict(`This attempt was closed when ${task.promotedBranch} was promoted.`);
  }
  const approvedLine = loaded.approvedRunId ? lineOfRun(loaded.lines, loaded.approvedRunId) : undefined;
  return { ...loaded, line, run: line.latest, approvedLine };
}

/** Sending a line back to its agent waits only for that line's own run. */
export function refuseWhileRunning(run: { status: string }) {
  if (isActiveRun(run)) {
    throw conflict("The agent is still working on this branch. Wait for its run to end.");
  }
}

/** Approving, merging and resolving wait until no agent is working on the task. */
export function refuseWhileAnyRunning(taskRuns: Array<{ status: string }>) {
  if (taskRuns.some(isActiveRun)) {
    throw conflict(
      taskRuns.length > 1
        ? "An agent is still working on this task. Wait for every run to end."
        : "The agent is still working on this task. Wait for its run to end.",
    );
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
