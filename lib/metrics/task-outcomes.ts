import "server-only";
import { sql } from "drizzle-orm";
import type { GroupBy } from "./range";
import { byKey, keyedFacts, sameRow } from "./rollup/facts";
import { queryRows, splitTotals } from "./sql";

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
  const rows = await queryRows<TaskOutcomeRow>(
    async (tx) => sql`
    with ${await keyedFacts(tx, "task", teamId, { from, to }, groupBy)},
    sums as (
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
      from keyed group by grouping sets (${sets})
    ), pct as (
      select ${key} as key, ${day} as day, ${flags},
        (percentile_cont(0.5) within group (order by w))::float8 as p50_time_in_review_ms
      from keyed cross join unnest(time_in_review_ms) as w
      group by grouping sets (${sets})
    )
    select s.*, p.p50_time_in_review_ms
    from sums s left join pct p on ${sameRow("p", "s")}`,
  );
  return { ...splitTotals(rows.filter((row) => !row.is_day)), daily: rows.filter((row) => row.is_day) };
}
