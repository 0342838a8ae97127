import type { ReviewStatsRow } from "./review-stats";
import type { RunSummaryRow } from "./run-summary";
import type { TaskOutcomeRow } from "./task-outcomes";
import { wilsonInterval } from "./wilson";

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
/** Sums of numeric(…, 6) arrive as float8: round away the binary noise. */
const usd = (value: number) => Math.round(value * 1e6) / 1e6;

/** Every metric of one group (or of the whole team), from the three aggregate rows. */
export function groupMetrics(
  key: string | null,
  label: string,
  run: Partial<RunSummaryRow> | undefined,
  task: Partial<TaskOutcomeRow> | undefined,
  review: Partial<ReviewStatsRow> | undefined,
) {
  const n = (value: number | null | undefined) => value ?? 0;
  const merged = n(task?.merged);
  const ended = n(task?.ended);
  const succeededRuns = n(run?.succeeded);
  // Every run that ended, whatever it brought: no changes and blocked runs count against the rate.
  const endedRuns =
    succeededRuns +
    n(run?.verification_failed) +
    n(run?.no_changes) +
    n(run?.blocked) +
    n(run?.failed) +
    n(run?.cancelled);
  return {
    key,
    label,
    spend: usd(n(run?.spend)),
    unpricedRuns: n(run?.unpriced_runs),
    tokens: {
      input: n(run?.input_tokens),
      output: n(run?.output_tokens),
      cacheWrite: n(run?.cache_write_tokens),
      cacheRead: n(run?.cache_read_tokens),
    },
    runs: n(run?.runs),
    /** Runs with changes ready. */
    succeededRuns,
    verificationFailedRuns: n(run?.verification_failed),
    noChangeRuns: n(run?.no_changes),
    blockedRuns: n(run?.blocked),
    failedRuns: n(run?.failed),
    cancelledRuns: n(run?.cancelled),
    finishedRuns: n(run?.finished),
    endedRuns,
    /** Runs with changes ready ÷ runs that ended (no changes, blocked, failed and cancelled included). */
    runSuccessRate: ratio(succeededRuns, endedRuns),
    duration: {
      p50Ms: run?.p50_ms ?? null,
      p90Ms: run?.p90_ms ?? null,
      avgQueueMs: run?.avg_queue_ms ?? null,
      avgModelMs: run?.avg_model_ms ?? null,
      avgToolMs: run?.avg_tool_ms ?? null,
      avgHumanMs: run?.avg_human_ms ?? null,
    },
    verification: {
      verified: n(run?.verified),
      passed: n(run?.verify_passed),
      passRate: ratio(n(run?.verify_passed), n(run?.verified)),
    },
    tasks: {
      ended,
      merged,
      discarded: n(task?.discarded),
      failed: n(task?.failed),
      cancelled: n(task?.cancelled),
      mergedFirstTry: n(task?.merged_first_try),
    },
    successRate: ratio(merged, ended),
    successInterval: wilsonInterval(merged, ended),
    firstTryMergeRate: ratio(n(task?.merged_first_try), merged),
    costPerMergedChange: merged > 0 ? usd(n(task?.merged_cost) / merged) : null,
    /** Merged tasks with an unpriced run: their cost is a lower bound, shown flagged. */
    mergedWithUnpricedRuns: n(task?.merged_unpriced),
    humanReviewMsPerMergedChange: ratio(n(task?.merged_human_ms), merged),
    review: {
      reviews: n(review?.reviews),
      approvals: n(review?.approvals),
      changesRequested: n(review?.changes_requested),
      p50TurnaroundMs: review?.p50_turnaround_ms ?? null,
      p90TurnaroundMs: review?.p90_turnaround_ms ?? null,
      p50FirstReviewMs: review?.p50_first_review_ms ?? null,
      reviewedTasks: n(task?.reviewed),
      roundsPerTask: ratio(n(task?.review_rounds), n(task?.reviewed)),
      p50TimeInReviewMs: task?.p50_time_in_review_ms ?? null,
    },
  };
}

export type GroupMetrics = ReturnType<typeof groupMetrics>;
