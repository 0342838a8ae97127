import { sql } from "drizzle-orm";
import { check, index, pgTable, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tasks } from "./tasks";

/**
 * Task B depends on task A: B's runs wait (the queue doesn't claim them) until A has merged
 * (lib/tasks/dependencies.ts). A row per edge; both tasks are of the same team, checked by the service.
 */
export const taskDependencies = pgTable(
  "task_dependencies",
  {
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    dependsOnTaskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.taskId, t.dependsOnTaskId),
    // "Who waits on this task?" when it merges or is discarded.
    index().on(t.dependsOnTaskId),
    check("task_dependencies_not_self", sql`${t.taskId} <> ${t.dependsOnTaskId}`),
  ],
);

export type TaskDependency = typeof taskDependencies.$inferSelect;
