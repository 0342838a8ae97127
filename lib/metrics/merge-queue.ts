import "server-only";
import { sql } from "drizzle-orm";
import { MS, queryRows } from "./sql";

export interface MergeQueueMetrics {
  /** Merges waiting or landing right now, every repository and base. */
  length: number;
  /** Merges that started landing in the period, and how long they had waited in line (ms). */
  landed: number;
  p50WaitMs: number | null;
  p90WaitMs: number | null;
}

/** The merge queue now (its length) and over the period (the wait before each merge started landing). */
export async function mergeQueueMetrics(teamId: string, from: Date, to: Date): Promise<MergeQueueMetrics> {
  const wait = MS("started_at", "enqueued_at");
  const [row] = await queryRows<{
    length: number;
    landed: number;
    p50: number | null;
    p90: number | null;
  }>(sql`
    select
      (select count(*)::int from merge_queue where team_id = ${teamId} and status in ('waiting', 'landing')) as length,
      count(*)::int as landed,
      (percentile_cont(0.5) within group (order by ${sql.raw(wait)}))::float8 as p50,
      (percentile_cont(0.9) within group (order by ${sql.raw(wait)}))::float8 as p90
    from merge_queue
    where team_id = ${teamId} and started_at is not null
      and started_at >= ${from.toISOString()} and started_at < ${to.toISOString()}`);
  return {
    length: row?.length ?? 0,
    landed: row?.landed ?? 0,
    p50WaitMs: row?.p50 === null || row?.p50 === undefined ? null : Math.round(row.p50),
    p90WaitMs: row?.p90 === null || row?.p90 === undefined ? null : Math.round(row.p90),
  };
}
