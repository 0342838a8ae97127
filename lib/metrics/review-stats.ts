import "server-only";
import { sql } from "drizzle-orm";
import { type Percentiles, percentilesOf } from "./percentiles";
import type { GroupBy } from "./range";
import { byKey, queryFacts } from "./rollup/facts";
import { splitTotals } from "./sql";

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
  const { rows, values } = await queryFacts<ReviewStatsRow>(
    "review",
    teamId,
    { from, to },
    groupBy,
    sql`
      select ${key} as key, ${day} as day, ${flags},
        coalesce(sum(reviews), 0)::int as reviews,
        coalesce(sum(approvals), 0)::int as approvals,
        coalesce(sum(changes_requested), 0)::int as changes_requested,
        coalesce(sum(cardinality(first_review_ms)), 0)::int as first_reviews
      from keyed group by grouping sets (${sets})`,
    ["turnaround_ms", "first_review_ms"],
  );
  const turnaround = percentilesOf(values, 0);
  const firstReview = percentilesOf(values, 1);
  const of = (p: Percentiles, row: ReviewStatsRow, q: number) =>
    row.is_total ? p.total(q) : row.is_day ? p.ofDay(row.day, q) : p.ofKey(row.key, q);
  for (const row of rows) {
    row.p50_turnaround_ms = of(turnaround, row, 0.5);
    row.p90_turnaround_ms = of(turnaround, row, 0.9);
    row.p50_first_review_ms = of(firstReview, row, 0.5);
  }
  return { ...splitTotals(rows.filter((row) => !row.is_day)), daily: rows.filter((row) => row.is_day) };
}
