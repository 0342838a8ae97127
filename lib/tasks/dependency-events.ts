// What a dependency's end does to the tasks waiting on it. Called in the transaction that merges or
// discards the dependency, so the task's new state and its dependents' land together.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { OPEN_TASK_STATUSES, runs, type Task, taskDependencies, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { notifyQueue } from "@/lib/queue/claim";
import { dependenciesOf, isWaitingOn } from "./dependency-queries";
import { syncTaskStatus } from "./status-from-runs";

/** The open tasks that depend on `taskId`, locked: their runs and status change below. */
async function openDependents(tx: Tx, taskId: string) {
  const ids = await tx
    .select({ id: taskDependencies.taskId })
    .from(taskDependencies)
    .where(eq(taskDependencies.dependsOnTaskId, taskId));
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(tasks)
    .where(
      and(
        inArray(
          tasks.id,
          ids.map((row) => row.id),
        ),
        inArray(tasks.status, [...OPEN_TASK_STATUSES]),
      ),
    )
    .orderBy(tasks.number)
    .for("update");
}

/**
 * `taskId` has just merged (its status is merged in this transaction). A dependent whose last
 * dependency this was may start: its queued runs are put at the back of the queue as of now (their wait
 * for the dependency is not queue time) and the workers are woken. They check out the base branch when
 * they start, so they start from the base with this merge in it. Every dependent's card changes.
 */
export async function onTaskMerged(tx: Tx, actor: Actor, taskId: string): Promise<void> {
  const dependents = await openDependents(tx, taskId);
  if (dependents.length === 0) return;
  const deps = await dependenciesOf(
    tx,
    actor.teamId,
    dependents.map((d) => d.id),
  );
  let released = false;
  for (const dependent of dependents) {
    const waiting = (deps.get(dependent.id) ?? []).filter((d) => d.taskId !== taskId && isWaitingOn(d));
    if (waiting.length === 0) {
      const started = await tx
        .update(runs)
        .set({ queuedAt: sql`now()` })
        .where(and(eq(runs.taskId, dependent.id), eq(runs.status, "queued"), isNull(runs.startedAt)))
        .returning({ id: runs.id });
      released ||= started.length > 0;
      await recordAudit(
        tx,
        actor,
        "task.dependencies_merged",
        { type: "task", id: dependent.id },
        { number: dependent.number, lastMerged: taskId, runIds: started.map((r) => r.id) },
      );
    }
    await notifyTeamChange(tx, { teamId: dependent.teamId, kind: "task", taskId: dependent.id });
  }
  if (released) await notifyQueue(tx);
}

/**
 * Why a dependent stopped, for the person who reads it in Needs a human; it follows the outcome's label
 * ("The agent is blocked: …").
 */
export function discardedReason(discarded: Pick<Task, "number" | "title">): string {
  return (
    `it waits on #${discarded.number} (${discarded.title}), which was discarded and will never merge. ` +
    "Tell the agent how to go on without it, or discard this task too."
  );
}

/**
 * `task` has just been discarded: it will never merge, so the runs of the tasks waiting on it end
 * before they start, blocked with a reason naming it, and those tasks go to Needs a human. A person's
 * answer starts a follow-up that no longer waits on the discarded task (dependency-wait.ts).
 */
export async function onTaskDiscarded(tx: Tx, actor: Actor, task: Pick<Task, "id" | "number" | "title">) {
  const dependents = await openDependents(tx, task.id);
  for (const dependent of dependents) {
    const stopped = await tx
      .update(runs)
      .set({
        status: "cancelled",
        stopReason: "dependency_discarded",
        outcome: "blocked",
        outcomeReason: discardedReason(task),
        finishedAt: new Date(),
      })
      .where(and(eq(runs.taskId, dependent.id), eq(runs.status, "queued"), isNull(runs.startedAt)))
      .returning({ id: runs.id });
    if (stopped.length === 0) continue;
    await syncTaskStatus(tx, dependent.id);
    await recordAudit(
      tx,
      actor,
      "task.dependency_discarded",
      { type: "task", id: dependent.id },
      { number: dependent.number, discarded: task.id, discardedNumber: task.number },
    );
    await notifyTeamChange(tx, { teamId: dependent.teamId, kind: "task", taskId: dependent.id });
  }
}
