import "server-only";
import { sql } from "drizzle-orm";
import { percentilesOf } from "./percentiles";
import { queryFacts } from "./rollup/facts";
import { type Grouping, percentileOfSet, type SetRow, splitSets } from "./rollup/grouping";

export interface ReviewStatsRow extends SetRow {
  reviews: number;
  approvals: number;
  changes_requested: number;
  p50_turnaround_ms: number | null;
  p90_turnaround_ms: number | null;
  first_reviews: number;
  p50_first_review_ms: number | null;
}

/**
 * Reviews submitted in [from, to): rounds, turnaround and time to first review, grouped as asked, from the
 * daily rollup (exact percentiles over the per-review values it keeps).
 */
export async function reviewStats(teamId: string, from: Date, to: Date, grouping: Grouping) {
  const { rows, values } = await queryFacts<ReviewStatsRow>(
    "review",
    teamId,
    { from, to },
    grouping,
    sql`
      coalesce(sum(reviews), 0)::int as reviews,
      coalesce(sum(approvals), 0)::int as approvals,
      coalesce(sum(changes_requested), 0)::int as changes_requested,
      coalesce(sum(cardinality(first_review_ms)), 0)::int as first_reviews`,
    ["turnaround_ms", "first_review_ms"],
  );
  const turnaround = percentilesOf(values, 0);
  const firstReview = percentilesOf(values, 1);
  for (const row of rows) {
    row.p50_turnaround_ms = percentileOfSet(turnaround, row, 0.5);
    row.p90_turnaround_ms = percentileOfSet(turnaround, row, 0.9);
    row.p50_first_review_ms = percentileOfSet(firstReview, row, 0.5);
  }
  return splitSets(rows);
}
