import "server-only";
import { sql } from "drizzle-orm";
import type { GroupBy } from "./range";
import { dirtyDays, FACT_DAY, factKey, factsCte, sameRow } from "./rollup/facts";
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
export async function reviewStats(teamId: string, from: Date, to: Date, groupBy: GroupBy, withDays = false) {
  const sets = withDays ? sql`(key), (), (d)` : sql`(key), ()`;
  const flags = withDays
    ? sql`grouping(key, d) = 3 as is_total, grouping(d) = 0 as is_day`
    : sql`grouping(key) = 1 as is_total, false as is_day`;
  const day = withDays ? sql`d` : sql`null::text`;
  const rows = await queryRows<ReviewStatsRow>(
    async (tx) => sql`
    with ${factsCte("review", teamId, from, to, await dirtyDays(tx, teamId, from, to))},
    keyed as (select ${factKey(groupBy)} as key, ${FACT_DAY} as d, * from review_facts),
    sums as (
      select key, ${day} as day, ${flags},
        coalesce(sum(reviews), 0)::int as reviews,
        coalesce(sum(approvals), 0)::int as approvals,
        coalesce(sum(changes_requested), 0)::int as changes_requested,
        coalesce(sum(cardinality(first_review_ms)), 0)::int as first_reviews
      from keyed group by grouping sets (${sets})
    ), turnaround as (
      select key, ${day} as day, ${flags},
        (percentile_cont(0.5) within group (order by w))::float8 as p50_turnaround_ms,
        (percentile_cont(0.9) within group (order by w))::float8 as p90_turnaround_ms
      from keyed cross join unnest(turnaround_ms) as w group by grouping sets (${sets})
    ), first_review as (
      select key, ${day} as day, ${flags},
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
