import "server-only";
import { sql } from "drizzle-orm";
import type { GroupBy } from "./range";
import { reviewedCte } from "./reviewed-cte";
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

const DAY = sql.raw(`to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD')`);

/**
 * Reviews submitted in the range: rounds, turnaround and time to first review, per group, in total, and
 * per UTC day (for the turnaround chart) — one pass over the reviews.
 */
export async function reviewStats(teamId: string, from: Date, to: Date, groupBy: GroupBy) {
  const rows = await queryRows<ReviewStatsRow>(sql`
    with ${reviewedCte(teamId, from, to, groupBy)}
    select key, ${DAY} as day, grouping(key, ${DAY}) = 3 as is_total, grouping(${DAY}) = 0 as is_day,
      count(*)::int as reviews,
      count(*) filter (where decision = 'approved')::int as approvals,
      count(*) filter (where decision = 'changes_requested')::int as changes_requested,
      (percentile_cont(0.5) within group (order by turnaround_ms))::float8 as p50_turnaround_ms,
      (percentile_cont(0.9) within group (order by turnaround_ms))::float8 as p90_turnaround_ms,
      count(first_review_ms)::int as first_reviews,
      (percentile_cont(0.5) within group (order by first_review_ms))::float8 as p50_first_review_ms
    from reviewed
    group by grouping sets ((key), (), (${DAY}))`);
  const daily = rows.filter((row) => row.is_day);
  return { ...splitTotals(rows.filter((row) => !row.is_day)), daily };
}
