import "server-only";
import { sql } from "drizzle-orm";
import type { GroupBy } from "./range";
import { byKey, keyedFacts, sameRow } from "./rollup/facts";
import { queryRows, splitTotals } from "./sql";

export interface ReviewStatsRow {
  key: string | null;
  /** Set on the per-day rows (YYYY-MM-DD, UTC). */
  day: string | null;
  is_total: boolean;
  is_day: boolean;
  reviews: number;
  approvals: number;
  changes_requested: number;
  p50_turnaround_ms: number | null;
  p90_turnaround_ms: number | null;
  first_reviews: number;
  p50_first_review_ms: number | null;
}

/**
 * Reviews submitted in [from, to): rounds, turnaround and time to first review, per group, in total, and
 * (withDays) per UTC day for the turnaround chart, from the daily rollup (exact percentiles over the
 * per-review values it keeps).
 */
export async function reviewStats(
  teamId: string,
  from: Date,
  to: Date,
  groupBy: GroupBy | null,
  withDays = false,
) {
  const { key, sets, day, flags } = byKey(groupBy, withDays);
  const rows = await queryRows<ReviewStatsRow>(
    async (tx) => sql`
    with ${await keyedFacts(tx, "review", teamId, { from, to }, groupBy)},
    sums as (
      select ${key} as key, ${day} as day, ${flags},
        coalesce(sum(reviews), 0)::int as reviews,
        coalesce(sum(approvals), 0)::int as approvals,
        coalesce(sum(changes_requested), 0)::int as changes_requested,
        coalesce(sum(cardinality(first_review_ms)), 0)::int as first_reviews
      from keyed group by grouping sets (${sets})
    ), turnaround as (
      select ${key} as key, ${day} as day, ${flags},
        (percentile_cont(0.5) within group (order by w))::float8 as p50_turnaround_ms,
        (percentile_cont(0.9) within group (order by w))::float8 as p90_turnaround_ms
      from keyed cross join unnest(turnaround_ms) as w group by grouping sets (${sets})
    ), first_review as (
      select ${key} as key, ${day} as day, ${flags},
        (percentile_cont(0.5) within group (order by w))::float8 as p50_first_review_ms
      from keyed cross join unnest(first_review_ms) as w group by grouping sets (${sets})
    )
    select s.*, x.p50_turnaround_ms, x.p90_turnaround_ms, f.p50_first_review_ms
    from sums s
    left join turnaround x on ${sameRow("x", "s")}
    left join first_review f on ${sameRow("f", "s")}`,
  );
  return { ...splitTotals(rows.filter((row) => !row.is_day)), daily: rows.filter((row) => row.is_day) };
}
