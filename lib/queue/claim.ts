// The run queue is the `runs` table itself: a queued run is claimed with a lease that its worker renews.
// Why not pg-boss: the caps (per team, per agent) are one SQL condition here; runs are already the durable
// record, so there is no second copy to keep in step; it behaves the same on PGlite and PostgreSQL; and
// pg-boss 11+ needs Node 22. An expired lease means the worker died: another worker claims the run and
// resumes it from its events.
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, getDb, rowsOf, type Tx } from "@/db";
import { type Run, runs, sqlStatusList, WORKING_RUN_STATUSES } from "@/db/schema";
import { runWaitsOnDependency } from "@/lib/tasks/dependency-wait";
import { DEFAULT_TEAM_CONCURRENCY } from "./caps";

export const LEASE_SECONDS = Number(process.env.FOREMAN_LEASE_SECONDS ?? 30);
export const QUEUE_CHANNEL = "run_queue";
const CLAIM_LOCK = 7_360_451_203;
const ACTIVE = sql.raw(sqlStatusList(WORKING_RUN_STATUSES));
/** Settings → General's cap (teams.settings.runs.maxConcurrentRuns); anything but a number is "unset". */
const teamCap = sql`coalesce(
  case when jsonb_typeof(t.settings->'runs'->'maxConcurrentRuns') = 'number'
       then floor((t.settings->'runs'->>'maxConcurrentRuns')::numeric) end,
  ${DEFAULT_TEAM_CONCURRENCY})`;

/**
 * Claims up to `limit` of the oldest runnable runs for this worker, in queue order. Runnable: queued, or
 * active with an expired lease (its worker died), and within its agent's cap and then its team's cap,
 * counting the runs claimed with it (a run's place among its agent's candidates, then among its team's
 * candidates that its agent's cap lets through, is added to what they already run). Claims are serialised with a transaction-scoped advisory lock so two workers
 * can't both take the last free slot. One statement for a hundred runs: a worker starting many runs
 * doesn't queue a hundred claims behind its runs' own queries.
 */
export async function claimRuns(workerId: string, limit: number): Promise<Run[]> {
  if (limit < 1) return [];
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
    const result = await tx.execute(sql`
      with live as (
        select agent_id, team_id from runs
        where status in ${ACTIVE} and lease_expires_at >= now()
      ),
      runnable as (
        select r.id, r.queued_at, r.agent_id, r.team_id,
          row_number() over (partition by r.agent_id order by r.queued_at, r.id) as agent_place
        from runs r
        where (r.status = 'queued' and not ${runWaitsOnDependency("r")}) or (r.status in ${ACTIVE} and r.lease_expires_at < now())
      ),
      within_agent as (
        select c.id, c.queued_at, c.team_id,
          row_number() over (partition by c.team_id order by c.queued_at, c.id) as team_place
        from runnable c
        join agents a on a.id = c.agent_id
        where (select count(*) from live where live.agent_id = c.agent_id) + c.agent_place <= a.max_concurrent_runs
      )
      select c.id from within_agent c
      join teams t on t.id = c.team_id
      where (select count(*) from live where live.team_id = c.team_id) + c.team_place <= ${teamCap}
      order by c.queued_at, c.id
      limit ${limit}`);
    const ids = rowsOf<{ id: string }>(result).map((row) => row.id);
    if (ids.length === 0) return [];
    const claimed = await tx
      .update(runs)
      .set({
        leaseOwner: workerId,
        leaseExpiresAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
        attempts: sql`${runs.attempts} + 1`,
        status: sql`case when ${runs.status} = 'queued' then 'running' else ${runs.status} end`,
        startedAt: sql`coalesce(${runs.startedAt}, now())`,
      })
      .where(inArray(runs.id, ids))
      .returning();
    const order = new Map(ids.map((id, index) => [id, index]));
    return claimed.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
  });
}

/** Claims the oldest runnable run for this worker, or null (claimRuns with a limit of one). */
export async function claimRun(workerId: string): Promise<Run | null> {
  return (await claimRuns(workerId, 1))[0] ?? null;
}

/**
 * Extends the lease. held: false when another worker has taken the run over (this one must stop);
 * cancelRequested, read by the same statement, when someone has asked the run to stop.
 */
export async function renewLease(
  runId: string,
  workerId: string,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  const db = await getDb();
  const [renewed] = await db
    .update(runs)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(and(eq(runs.id, runId), eq(runs.leaseOwner, workerId)))
    .returning({ cancelRequestedAt: runs.cancelRequestedAt });
  return { held: Boolean(renewed), cancelRequested: Boolean(renewed?.cancelRequestedAt) };
}

/** Wakes idle workers right away instead of at their next periodic check (in a transaction: at its commit). */
export async function notifyQueue(db?: Db | Tx): Promise<void> {
  const handle = db ?? (await getDb());
  await handle.execute(sql`select pg_notify(${QUEUE_CHANNEL}, '')`);
}

/** Gives the run back at once (graceful shutdown), so another worker resumes it without waiting. */
export async function releaseLease(runId: string, workerId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(runs)
    .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
    .where(and(eq(runs.id, runId), eq(runs.leaseOwner, workerId)));
  await notifyQueue();
}
