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

/**
 * What a finished run brought, set when it ends (null before): the run's status says how the loop ended,
 * the outcome what there is to do next.
 * - changes_ready: it changed files, and the test command passed (or there is none);
 * - verification_failed: it changed files and the test command failed: reviewable, flagged;
 * - no_changes: it ended without changing a file;
 * - blocked: the agent reported it cannot proceed;
 * - needs_input: the agent asked a question (the run's outcomeReason) and waits for an answer;
 * - failed: an error, a budget, a refusal or a cancel ended it.
 */
export const RUN_OUTCOMES = [
  "changes_ready",
  "verification_failed",
  "no_changes",
  "blocked",
  "needs_input",
  "failed",
] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** Outcomes with a diff for a reviewer: the task goes to In review. */
export const REVIEWABLE_OUTCOMES: ReadonlySet<string> = new Set<RunOutcome>([
  "changes_ready",
  "verification_failed",
]);
/** Outcomes a person has to act on before the work goes on: the task goes to Needs a human. */
export const NEEDS_HUMAN_OUTCOMES: ReadonlySet<string> = new Set<RunOutcome>([
  "no_changes",
  "blocked",
  "needs_input",
]);

/**
 * The kind of a judge's run (Best-of-N, lib/compare/judge.ts): it ranks a task's attempts and changes
 * nothing, so it is not an attempt: a task's status, lines, agents and the agents' metrics leave it out.
 */
export const JUDGE_RUN_KIND = "judge";
/** `runs` rows of agents' work on a task (every kind but the judge's), as raw SQL on alias `alias`. */
export const agentWorkSql = (alias: string) => `${alias}.kind <> '${JUDGE_RUN_KIND}'`;
