import "server-only";
import { sql } from "drizzle-orm";
import { percentilesOf } from "./percentiles";
import { queryFacts } from "./rollup/facts";
import { type Grouping, percentileOfSet, type SetRow, splitSets } from "./rollup/grouping";

export interface TaskOutcomeRow extends SetRow {
  ended: number;
  merged: number;
  discarded: number;
  failed: number;
  cancelled: number;
  merged_first_try: number;
  /** Spend of every run of the merged tasks (retries and follow-ups included). */
  merged_cost: number;
  merged_unpriced: number;
  /** Review waits plus approval waits of the merged tasks. */
  merged_human_ms: number;
  reviewed: number;
  review_rounds: number;
  p50_time_in_review_ms: number | null;
}

/**
 * Outcomes of the tasks that ended in [from, to) (tasks.ended_at), grouped as asked, from the daily rollup;
 * the median time in review over the per-task values it keeps.
 */
export async function taskOutcomes(teamId: string, from: Date, to: Date, grouping: Grouping) {
  const { rows, values } = await queryFacts<TaskOutcomeRow>(
    "task",
    teamId,
    { from, to },
    grouping,
    sql`
      coalesce(sum(ended), 0)::int as ended,
      coalesce(sum(merged), 0)::int as merged,
      coalesce(sum(discarded), 0)::int as discarded,
      coalesce(sum(failed), 0)::int as failed,
      coalesce(sum(cancelled), 0)::int as cancelled,
      coalesce(sum(merged_first_try), 0)::int as merged_first_try,
      coalesce(sum(merged_cost), 0)::float8 as merged_cost,
      coalesce(sum(merged_unpriced), 0)::int as merged_unpriced,
      coalesce(sum(merged_human_ms), 0)::float8 as merged_human_ms,
      coalesce(sum(reviewed), 0)::int as reviewed,
      coalesce(sum(review_rounds), 0)::int as review_rounds`,
    ["time_in_review_ms"],
  );
  const inReview = percentilesOf(values, 0);
  for (const row of rows) row.p50_time_in_review_ms = percentileOfSet(inReview, row, 0.5);
  return splitSets(rows);
}
