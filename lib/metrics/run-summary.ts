import "server-only";
import { sql } from "drizzle-orm";
import { type GroupBy, runGroupKey } from "./range";
import { MS, queryRows, splitTotals } from "./sql";

export interface RunSummaryRow {
  key: string | null;
  /** Set on the per-day rows (YYYY-MM-DD, UTC). */
  day: string | null;
  is_total: boolean;
  is_day: boolean;
  /** A day's row over every group (the day's total). */
  is_day_total: boolean;
  runs: number;
  succeeded: number;
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

// Durations count runs that started and finished: a run cancelled while queued never ran.
const WALL = `(case when r.started_at is not null then ${MS("r.finished_at", "r.queued_at")} end)`;
const RAN = "r.finished_at is not null and r.started_at is not null";

/**
 * Runs queued in [from, to): count, spend, tokens, durations (of the finished ones) and verification,
 * per group and in total. A run belongs to the day it was queued.
 */
export async function runSummary(teamId: string, from: Date, to: Date, groupBy: GroupBy, withDays = false) {
  const key = runGroupKey(groupBy);
  const day = sql.raw(`to_char((r.queued_at at time zone 'UTC')::date, 'YYYY-MM-DD')`);
  // With days, the charts' per-day series (per group and per day) come from the same pass over the runs.
  const sets = withDays ? sql`(${key}), (), (${day}, ${key}), (${day})` : sql`(${key}), ()`;
  const rows = await queryRows<RunSummaryRow>(sql`
    select ${key} as key, ${withDays ? day : sql`null::text`} as day,
      grouping(${key}) = 1 ${withDays ? sql`and grouping(${day}) = 1` : sql``} as is_total,
      ${withDays ? sql`grouping(${day}) = 0` : sql`false`} as is_day,
      ${withDays ? sql`grouping(${day}) = 0 and grouping(${key}) = 1` : sql`false`} as is_day_total,
      count(*)::int as runs,
      count(*) filter (where r.status = 'succeeded')::int as succeeded,
      count(*) filter (where r.status = 'failed')::int as failed,
      count(*) filter (where r.status = 'cancelled')::int as cancelled,
      count(*) filter (where r.unpriced)::int as unpriced_runs,
      coalesce(sum(r.cost_usd), 0)::float8 as spend,
      coalesce(sum(r.input_tokens), 0)::float8 as input_tokens,
      coalesce(sum(r.output_tokens), 0)::float8 as output_tokens,
      coalesce(sum(r.cache_write_tokens), 0)::float8 as cache_write_tokens,
      coalesce(sum(r.cache_read_tokens), 0)::float8 as cache_read_tokens,
      count(*) filter (where ${sql.raw(RAN)})::int as finished,
      (percentile_cont(0.5) within group (order by ${sql.raw(WALL)}))::float8 as p50_ms,
      (percentile_cont(0.9) within group (order by ${sql.raw(WALL)}))::float8 as p90_ms,
      avg(${sql.raw(MS("r.started_at", "r.queued_at"))}) filter (where ${sql.raw(RAN)})::float8 as avg_queue_ms,
      avg(r.model_ms) filter (where ${sql.raw(RAN)})::float8 as avg_model_ms,
      avg(r.tool_ms) filter (where ${sql.raw(RAN)})::float8 as avg_tool_ms,
      avg(r.human_wait_ms) filter (where ${sql.raw(RAN)})::float8 as avg_human_ms,
      count(*) filter (where r.verify_exit_code is not null)::int as verified,
      count(*) filter (where r.verify_exit_code = 0)::int as verify_passed
    from runs r join tasks t on t.id = r.task_id
    where r.team_id = ${teamId} and r.queued_at >= ${from.toISOString()} and r.queued_at < ${to.toISOString()}
    group by grouping sets (${sets})`);
  return { ...splitTotals(rows.filter((row) => !row.is_day)), daily: rows.filter((row) => row.is_day) };
}
