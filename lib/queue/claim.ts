// The run queue is the `runs` table itself: a queued run is claimed with a lease that its worker renews.
// Why not pg-boss: the caps (per team, per agent) are one SQL condition here; runs are already the durable
// record, so there is no second copy to keep in step; it behaves the same on PGlite and PostgreSQL; and
// pg-boss 11+ needs Node 22. An expired lease means the worker died: another worker claims the run and
// resumes it from its events.
import { and, eq, sql } from "drizzle-orm";
import { type Db, getDb, rowsOf, type Tx } from "@/db";
import { type Run, runs, sqlStatusList, WORKING_RUN_STATUSES } from "@/db/schema";

export const LEASE_SECONDS = Number(process.env.FOREMAN_LEASE_SECONDS ?? 30);
export const DEFAULT_TEAM_CONCURRENCY = 20;
export const QUEUE_CHANNEL = "run_queue";
const CLAIM_LOCK = 7_360_451_203;
const ACTIVE = sql.raw(sqlStatusList(WORKING_RUN_STATUSES));

/**
 * Claims the oldest runnable run for this worker, or null. Runnable: queued, or active with an expired
 * lease (its worker died), and under its agent's and its team's concurrency caps. Claims are serialised
 * with a transaction-scoped advisory lock so two workers can't both take the last free slot.
 */
export async function claimRun(workerId: string): Promise<Run | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
    const result = await tx.execute(sql`
      select r.id from runs r
      join agents a on a.id = r.agent_id
      join teams t on t.id = r.team_id
      where (r.status = 'queued' or (r.status in ${ACTIVE} and r.lease_expires_at < now()))
        and (select count(*) from runs x
             where x.agent_id = r.agent_id and x.status in ${ACTIVE} and x.lease_expires_at >= now())
            < a.max_concurrent_runs
        and (select count(*) from runs x
             where x.team_id = r.team_id and x.status in ${ACTIVE} and x.lease_expires_at >= now())
            < coalesce((t.settings->>'maxConcurrentRuns')::int, ${DEFAULT_TEAM_CONCURRENCY})
      order by r.queued_at, r.id
      limit 1`);
    const id = rowsOf<{ id: string }>(result)[0]?.id;
    if (!id) return null;
    const [claimed] = await tx
      .update(runs)
      .set({
        leaseOwner: workerId,
        leaseExpiresAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
        attempts: sql`${runs.attempts} + 1`,
        status: sql`case when ${runs.status} = 'queued' then 'running' else ${runs.status} end`,
        startedAt: sql`coalesce(${runs.startedAt}, now())`,
      })
      .where(eq(runs.id, id))
      .returning();
    return claimed ?? null;
  });
}

/** Extends the lease; false when another worker has taken the run over (this one must stop). */
export async function renewLease(runId: string, workerId: string): Promise<boolean> {
  const db = await getDb();
  const renewed = await db
    .update(runs)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(and(eq(runs.id, runId), eq(runs.leaseOwner, workerId)))
    .returning({ id: runs.id });
  return renewed.length > 0;
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
