// The run statuses and the sets of them every layer asks about, in one dependency-free module: the
// schema, the services, the queue's SQL and the client components all read the same lists.
export const RUN_STATUSES = [
  "queued",
  "running",
  "waiting_approval",
  "verifying",
  "succeeded",
  "failed",
  "cancelled",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run that has not ended yet: queued, or held by a worker. */
export const ACTIVE_RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>([
  "queued",
  "running",
  "waiting_approval",
  "verifying",
]);
/** A run a worker holds (with a lease): started and not ended. */
export const WORKING_RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>([
  "running",
  "waiting_approval",
  "verifying",
]);
/** A run that has ended: its status no longer changes. */
export const FINISHED_RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>([
  "succeeded",
  "failed",
  "cancelled",
]);

export const isActiveRun = (run: { status: string }) => ACTIVE_RUN_STATUSES.has(run.status);
export const isWorkingRun = (run: { status: string }) => WORKING_RUN_STATUSES.has(run.status);
export const isFinishedRun = (run: { status: string }) => FINISHED_RUN_STATUSES.has(run.status);

/** A set as an SQL list for `sql.raw`: `status in ('queued', …)` (the constants above, never input). */
export const sqlStatusList = (set: ReadonlySet<string>) =>
  `(${[...set].map((status) => `'${status}'`).join(", ")})`;
