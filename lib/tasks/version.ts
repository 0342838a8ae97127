/**
 * What a task page shows, in one comparable string: the task's last change and each run's status (in any
 * order the caller read them). Two
 * reads with the same version show the same task, so a page need not re-render to catch up.
 */
export function taskVersion(
  task: { updatedAt: Date | string },
  runs: ReadonlyArray<{ id: string; status: string }>,
): string {
  const states = runs.map((run) => `${run.id}:${run.status}`).sort();
  return [new Date(task.updatedAt).toISOString(), ...states].join("|");
}
