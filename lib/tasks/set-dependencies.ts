// Changing what an existing task waits on (`PUT /api/v1/tasks/:id/dependencies`). Only before any of its
// runs has started: once an agent works, waiting for another task would mean nothing.
import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { isAgentWorkRun, runs, taskDependencies } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, conflict } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { parseInput } from "@/lib/models/parse";
import { notifyQueue } from "@/lib/queue/claim";
import { lockTask } from "@/lib/reviews/load";
import { checkDependencies, dependsOnSchema, lockDependencyGraph } from "./dependencies";

export const setDependenciesSchema = z.object({ dependsOn: dependsOnSchema });
export type SetDependenciesInput = z.input<typeof setDependenciesSchema>;

/** Replaces the task's dependencies with `dependsOn` (empty: it waits on nothing and may start now). */
export async function setTaskDependencies(actor: Actor, taskId: string, raw: SetDependenciesInput) {
  authorize(actor, "tasks:assign");
  // Left out is a mistake, not "none": clearing them takes an explicit [].
  if (raw.dependsOn === undefined) {
    throw badRequest(
      'Missing field "dependsOn": the ids of the tasks to wait on ([] for none).',
      "dependsOn",
    );
  }
  const input = parseInput(setDependenciesSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    await lockDependencyGraph(tx, task.teamId);
    const [started] = await tx
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.taskId, task.id), isAgentWorkRun, isNotNull(runs.startedAt)))
      .limit(1);
    if (started || task.status !== "queued") {
      throw conflict(
        `#${task.number} has already started (${task.status.replace("_", " ")}): its dependencies can only change before its first run starts.`,
      );
    }
    const checked = await checkDependencies(tx, task, input.dependsOn);
    await tx.delete(taskDependencies).where(eq(taskDependencies.taskId, task.id));
    if (checked.length > 0) {
      await tx
        .insert(taskDependencies)
        .values(checked.map((dependsOnTaskId) => ({ taskId: task.id, dependsOnTaskId })));
    }
    await recordAudit(
      tx,
      actor,
      "task.dependencies_changed",
      { type: "task", id: task.id },
      { number: task.number, dependsOn: checked },
    );
    await notifyTeamChange(tx, { teamId: task.teamId, kind: "task", taskId: task.id });
    // Fewer dependencies may mean none left to wait on.
    await notifyQueue(tx);
    return { task, dependsOn: checked };
  });
}
