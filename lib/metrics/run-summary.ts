import "server-only";
import { sql } from "drizzle-orm";
import { percentilesOf } from "./percentiles";
import { queryFacts } from "./rollup/facts";
import { type Grouping, percentileOfSet, type SetRow, splitSets } from "./rollup/grouping";

export interface RunSummaryRow extends SetRow {
  runs: number;
  /** Runs with changes ready (their outcome); the other outcomes are counted beside it. */
  succeeded: number;
  verification_failed: number;
  no_changes: number;
  /** Blocked, or waiting for an answer to the agent's question. */
  blocked: number;
  failed: number;
  cancelled: number;
  unpriced_runs: number;
  spend: number;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  finished: number;
  p50_ms: number | null;
  p90_ms: number | null;
  avg_queue_ms: number | null;
  avg_model_ms: number | null;
  avg_tool_ms: number | null;
  avg_human_ms: number | null;
  verified: number;
  verify_passed: number;
}

const avg = (column: string) => sql.raw(`(sum(${column}) / nullif(sum(ran), 0))::float8`);

/**
 * Runs queued in [from, to): count, spend, tokens, durations (of the runs that started and finished) and
 * verification, grouped as asked, from the daily rollup. A run belongs to the day it was queued.
 * Percentiles are exact: over the wall times the rollup keeps per row.
 */
export async function runSummary(teamId: string, from: Date, to: Date, grouping: Grouping) {
  const { rows, values } = await queryFacts<RunSummaryRow>(
    "run",
    teamId,
    { from, to },
    grouping,
    sql`
      coalesce(sum(runs), 0)::int as runs,
      coalesce(sum(succeeded), 0)::int as succeeded,
      coalesce(sum(verification_failed), 0)::int as verification_failed,
      coalesce(sum(no_changes), 0)::int as no_changes,
      coalesce(sum(blocked), 0)::int as blocked,
      coalesce(sum(failed), 0)::int as failed,
      coalesce(sum(cancelled), 0)::int as cancelled,
      coalesce(sum(unpriced_runs), 0)::int as unpriced_runs,
      coalesce(sum(spend), 0)::float8 as spend,
      coalesce(sum(input_tokens), 0)::float8 as input_tokens,
      coalesce(sum(output_tokens), 0)::float8 as output_tokens,
      coalesce(sum(cache_write_tokens), 0)::float8 as cache_write_tokens,
      coalesce(sum(cache_read_tokens), 0)::float8 as cache_read_tokens,
      coalesce(sum(ran), 0)::int as finished,
      ${avg("queue_ms")} as avg_queue_ms,
      ${avg("model_ms")} as avg_model_ms,
      ${avg("tool_ms")} as avg_tool_ms,
      ${avg("human_ms")} as avg_human_ms,
      coalesce(sum(verified), 0)::int as verified,
      coalesce(sum(verify_passed), 0)::int as verify_passed`,
    ["wall_ms"],
  );
  const wall = percentilesOf(values, 0);
  for (const row of rows) {
    row.p50_ms = percentileOfSet(wall, row, 0.5);
    row.p90_ms = percentileOfSet(wall, row, 0.9);
  }
  return splitSets(rows);
}
