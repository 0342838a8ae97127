// The one rule of a waiting run, as SQL the queue's claim reads: a run of a task waits while any task it
// depends on is neither merged nor discarded (a discarded one sends the task to Needs a human instead,
// lib/tasks/dependencies.ts; once a person answers, the follow-up must not wait on it forever).
// No imports but drizzle: lib/queue reads it, and lib/tasks imports lib/queue.
import { type SQL, sql } from "drizzle-orm";

/** Task statuses after which a dependency no longer holds its dependents back. */
export const DEPENDENCY_RELEASED_STATUSES = ["merged", "discarded"] as const;

/** True for a run (`alias`.task_id) whose task still waits on a dependency. */
export function runWaitsOnDependency(alias: string): SQL {
  return sql.raw(`exists (
    select 1 from task_dependencies d join tasks dep on dep.id = d.depends_on_task_id
    where d.task_id = ${alias}.task_id and dep.status not in ('merged', 'discarded'))`);
}
