// The run page's data as the browser holds it in its query cache: plain JSON (dates as ISO strings),
// the same shape whether the server prefetched it or a route handler sent it.
import type { Run, Task } from "@/db/schema";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import type { TaskDependenciesView } from "@/lib/tasks/dependency-queries";

type Jsonify<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonify<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonify<T[K]> }
      : T;

export type RunView = Jsonify<ReturnType<typeof serializeRun>>;
export type TaskView = Jsonify<ReturnType<typeof serializeTask>>;

export function runView(run: Run): RunView {
  return JSON.parse(JSON.stringify(serializeRun(run))) as RunView;
}

/** A task with its runs (newest first) and its dependencies, for the task page's query cache. */
export function taskWithRunsView(task: Task, runs: Run[], dependencies: TaskDependenciesView) {
  return {
    task: JSON.parse(JSON.stringify(serializeTask(task))) as TaskView,
    runs: runs.map(runView),
    dependencies,
  };
}
export type TaskWithRunsView = ReturnType<typeof taskWithRunsView>;
