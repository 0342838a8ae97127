import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { taskBaseConflicts, taskOverlaps, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";

/** Another open task whose branch changes files this task's branch changes. */
export interface OverlapView {
  taskId: string;
  number: number;
  title: string;
  /** Files both branches change. */
  files: string[];
  /** Whether merging both would conflict, and in which files. */
  conflict: boolean;
  conflictFiles: string[];
}

/** The predicted overlaps of each of these tasks (the actor's team only), conflicts first. */
export async function overlapsOf(actor: Actor, taskIds: string[]): Promise<Map<string, OverlapView[]>> {
  authorize(actor, "team:read");
  const found = new Map<string, OverlapView[]>();
  if (taskIds.length === 0) return found;
  const db = await getDb();
  const other = alias(tasks, "other");
  const rows = await db
    .select({
      taskId: taskOverlaps.taskId,
      otherId: other.id,
      number: other.number,
      title: other.title,
      files: taskOverlaps.files,
      conflictFiles: taskOverlaps.conflictFiles,
    })
    .from(taskOverlaps)
    .innerJoin(other, eq(other.id, taskOverlaps.otherTaskId))
    .where(and(eq(taskOverlaps.teamId, actor.teamId), inArray(taskOverlaps.taskId, taskIds)));
  for (const row of rows) {
    const list = found.get(row.taskId) ?? [];
    list.push({
      taskId: row.otherId,
      number: row.number,
      title: row.title,
      files: row.files,
      conflict: row.conflictFiles.length > 0,
      conflictFiles: row.conflictFiles,
    });
    found.set(row.taskId, list);
  }
  for (const list of found.values()) {
    list.sort((a, b) => Number(b.conflict) - Number(a.conflict) || a.number - b.number);
  }
  return found;
}

/** The API's shape: {taskId, number, files, conflict} (docs/api.md). */
export function serializeOverlap(overlap: OverlapView) {
  return {
    taskId: overlap.taskId,
    number: overlap.number,
    files: overlap.files,
    conflict: overlap.conflict,
    conflictFiles: overlap.conflictFiles,
  };
}

/** Files each of these tasks would conflict in if merged into its base now (tasks with none are absent). */
export async function baseConflictsOf(actor: Actor, taskIds: string[]): Promise<Map<string, string[]>> {
  authorize(actor, "team:read");
  if (taskIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ taskId: taskBaseConflicts.taskId, files: taskBaseConflicts.files })
    .from(taskBaseConflicts)
    .where(and(eq(taskBaseConflicts.teamId, actor.teamId), inArray(taskBaseConflicts.taskId, taskIds)));
  return new Map(rows.map((row) => [row.taskId, row.files]));
}
