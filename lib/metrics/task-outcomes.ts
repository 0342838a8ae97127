import "server-only";
import { sql } from "drizzle-orm";
import { percentilesOf } from "./percentiles";
import type { GroupBy } from "./range";
import { byKey, queryFacts } from "./rollup/facts";
import { splitTotals } from "./sql";

export interface TaskOutcomeRow {
  key: string | null;
  /** Set on the per-day rows (YYYY-MM-DD, UTC): tasks that ended that day. */
  day: string | null;
  is_total: boolean;
  is_day: boolean;
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
 * Outcomes of the tasks that ended in [from, to) (tasks.ended_at), per group, in total and (withDays) per
 * UTC day, from the daily rollup; the median time in review over the per-task values it keeps.
 */
export async function taskOutcomes(
  teamId: string,
  from: Date,
  to: Date,
  groupBy: GroupBy | null,
  withDays = false,
) {
  const { key, sets, day, flags } = byKey(groupBy, withDays);
  const { rows, values } = await queryFacts<TaskOutcomeRow>(
    "task",
    teamId,
    { from, to },
    groupBy,
    sql`
      select ${key} as key, ${day} as day, ${flags},
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
        coalesce(sum(review_rounds), 0)::int as review_rounds
      from keyed group by grouping sets (${sets})`,
    ["time_in_review_ms"],
  );
  const inReview = percentilesOf(values, 0);
  for (const row of rows) {
    row.p50_time_in_review_ms = row.is_total
      ? inReview.total(0.5)
      : row.is_day
        ? inReview.ofDay(row.day, 0.5)
        : inReview.ofKey(row.key, 0.5);
  }
  return { ...splitTotals(rows.filter((row) => !row.is_day)), daily: rows.filter((row) => row.is_day) };
}
