import { index, jsonb, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { repositories } from "./repos";
import { tasks } from "./tasks";

/**
 * Predicted overlaps between two open tasks' branches on one repository and base (lib/conflicts): the
 * files both change, and those that would conflict if both merged. One row each way, so a task's
 * overlaps are one indexed read. Recomputed in the background when a branch or the base moves.
 */
export const taskOverlaps = pgTable(
  "task_overlaps",
  {
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    otherTaskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    teamId: uuid().notNull(),
    repoId: uuid()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    files: jsonb().$type<string[]>().notNull(),
    /** Empty: the two branches merge cleanly. */
    conflictFiles: jsonb().$type<string[]>().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.otherTaskId] }), index().on(t.repoId)],
);

export type TaskOverlap = typeof taskOverlaps.$inferSelect;

/**
 * An open task whose branch would conflict with its base as the base is now (the base moved since the
 * branch left it): the files, from the same background pass as taskOverlaps. No row: it merges cleanly.
 */
export const taskBaseConflicts = pgTable(
  "task_base_conflicts",
  {
    taskId: uuid()
      .primaryKey()
      .references(() => tasks.id, { onDelete: "cascade" }),
    teamId: uuid().notNull(),
    repoId: uuid()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    files: jsonb().$type<string[]>().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.repoId)],
);
