import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { sqlStatusList, WORKING_RUN_STATUSES } from "@/db/schema/run-statuses";
import { isoDay } from "../range";
import { ROLLUPS } from "./facts";

/**
 * The days a working run of the team still changes at every step (its queued day, its task's end): its
 * tokens, cost and times mark no day (migration 0019), so these stay dirty, and reads recompute them, until
 * the run ends and its status change marks them. SQL for `select … from (…) w where …`, to extend with
 * `and w.day = …`.
 */
const workingRunDays = (teamId: string) => sql`
  select 1 from (
    select metrics_day(r.queued_at) as day from runs r
    where r.team_id = ${teamId} and r.status in ${sql.raw(sqlStatusList(WORKING_RUN_STATUSES))}
    union all
    select metrics_day(t.ended_at) from runs r join tasks t on t.id = r.task_id
    where r.team_id = ${teamId} and r.status in ${sql.raw(sqlStatusList(WORKING_RUN_STATUSES))}
      and t.ended_at is not null
  ) w where true`;

/** Days rewritten per transaction: each holds the team's writers back only briefly. */
const CHUNK_DAYS = 31;

export interface CompactResult {
  days: number;
  /** True when writers kept the lock busy; the dirty days stay dirty (reads recompute them) until next time. */
  skipped: boolean;
}

/**
 * Rewrites the rollup rows of the team's dirty days before `before` (default: today, UTC — today changes all
 * day) from the raw rows, and clears their marks. Only speed depends on it: reads recompute dirty days.
 * Takes the team's rollup lock exclusively, so no transaction that marked a day (or is about to) is open
 * while the day is read; gives up after `lockTimeoutMs` rather than stall the team's runs.
 */
export async function compactMetricsDays(
  teamId: string,
  options: { before?: Date; lockTimeoutMs?: number } = {},
): Promise<CompactResult> {
  const before = isoDay(options.before ?? new Date());
  const db = await getDb();
  let days = 0;
  for (;;) {
    let done = 0;
    try {
      done = await db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local lock_timeout = ${Math.round(options.lockTimeoutMs ?? 2000)}`));
        await tx.execute(sql`set local jit = off`);
        // The lock the rollup triggers hold shared (migration 0003, metrics_mark_days).
        await tx.execute(sql`select pg_advisory_xact_lock(736045, hashtext(${teamId}))`);
        const marked = rowsOf<{ day: string }>(
          await tx.execute(sql`
            delete from metrics_dirty_days where (team_id, day) in (
              select team_id, day from metrics_dirty_days d
              where team_id = ${teamId} and day < ${before}::date
                and not exists (${workingRunDays(teamId)} and w.day = d.day)
              order by day limit ${CHUNK_DAYS})
            returning to_char(day, 'YYYY-MM-DD') as day`),
        );
        if (marked.length === 0) return 0;
        const chosen = marked.map((row) => row.day);
        const list = `{${chosen.join(",")}}`;
        for (const { table, columns, rows } of Object.values(ROLLUPS)) {
          await tx.execute(
            sql`delete from ${sql.raw(table)} where team_id = ${teamId} and day = any(${list}::date[])`,
          );
          await tx.execute(sql`
            insert into ${sql.raw(table)} (team_id, ${sql.raw(columns.join(", "))})
            select ${teamId}, ${sql.raw(columns.join(", "))} from (${rows(teamId, chosen)}) recomputed`);
        }
        return marked.length;
      });
    } catch (error) {
      if (/lock timeout/i.test(String((error as Error).message))) return { days, skipped: true };
      throw error;
    }
    days += done;
    if (done < CHUNK_DAYS) return { days, skipped: false };
  }
}
