import { createHash } from "node:crypto";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { type Db, rowsOf, type Tx } from "@/db";
import { runEvents, runs } from "@/db/schema";
import { SPEND_CAP_KEY } from "@/lib/metrics/spend-cap";
import type { NewRunEvent } from "./types";

/** This worker no longer holds the run: another one took it over after the lease expired. */
export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`lost the lease on run ${runId}`);
    this.name = "LeaseLostError";
  }
}

export const RUN_EVENTS_CHANNEL = "run_events";
export const RUN_DELTAS_CHANNEL = "run_deltas";

/**
 * Appends events to a run inside the caller's transaction and notifies listeners on commit.
 * The sequence comes from `runs.last_seq`, bumped in the same transaction: its row lock orders
 * concurrent writers (the worker, and people approving or steering from the web) without gaps or repeats.
 */
export async function appendRunEvents(
  tx: Tx,
  run: { id: string; teamId: string },
  events: NewRunEvent[],
  /** The worker writing: refused when another worker has taken the run over (fencing). */
  leaseOwner?: string,
): Promise<number[]> {
  if (events.length === 0) return [];
  const [bumped] = await tx
    .update(runs)
    .set({ lastSeq: sql`${runs.lastSeq} + ${events.length}` })
    .where(leaseOwner ? and(eq(runs.id, run.id), eq(runs.leaseOwner, leaseOwner)) : eq(runs.id, run.id))
    .returning({ lastSeq: runs.lastSeq });
  if (!bumped) {
    if (leaseOwner) throw new LeaseLostError(run.id);
    throw new Error(`run ${run.id} does not exist`);
  }
  const first = bumped.lastSeq - events.length + 1;
  const seqs = events.map((_, index) => first + index);
  await tx.insert(runEvents).values(
    events.map((event, index) => ({
      runId: run.id,
      teamId: run.teamId,
      seq: seqs[index] as number,
      type: event.type,
      payload: event.payload as unknown as Record<string, unknown>,
    })),
  );
  // Delivered only if the transaction commits, so listeners never see an event that isn't stored.
  await tx.execute(
    sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${JSON.stringify({ runId: run.id, teamId: run.teamId, seq: bumped.lastSeq, types: events.map((e) => e.type), writer: leaseOwner })})`,
  );
  return seqs;
}

/**
 * The worker's append: the same effect as appendRunEvents (seq from runs.last_seq, the events, the
 * notice on commit, fenced by the lease) in ONE autocommit statement, so a step costs one round trip
 * instead of a transaction of five. `alsoSet` adds assignments to the run row's update in that statement
 * (totals such as `steps = 3, cost_usd = cost_usd + 0.002`), so they commit with the events.
 * Returns the seqs, and whether the team has a monthly spend cap, read in the same statement: the loop
 * asks before every model call, and a team without one (most) then costs no query of its own.
 * Throws LeaseLostError when another worker holds the run.
 */
export async function appendRunEventsAtOnce(
  db: Db | Tx,
  run: { id: string; teamId: string },
  events: NewRunEvent[],
  leaseOwner: string,
  alsoSet?: SQL,
): Promise<{ seqs: number[]; spendCapSet: boolean }> {
  if (events.length === 0) return { seqs: [], spendCapSet: true };
  const n = events.length;
  const batch = JSON.stringify(events.map((event) => ({ type: event.type, payload: event.payload })));
  const types = JSON.stringify(events.map((event) => event.type));
  const result = await executePrepared(
    db,
    sql`
    with bumped as (
      update runs set last_seq = last_seq + ${n}${alsoSet ? sql`, ${alsoSet}` : sql``}
      where id = ${run.id} and lease_owner = ${leaseOwner}
      returning last_seq
    ), inserted as (
      insert into run_events (run_id, seq, team_id, type, payload)
      select ${run.id}::uuid, bumped.last_seq - ${n} + e.ord::int, ${run.teamId}::uuid,
             e.value->>'type', e.value->'payload'
      from bumped, jsonb_array_elements(${batch}::jsonb) with ordinality as e(value, ord)
      returning 1
    )
    select bumped.last_seq as "lastSeq", (select count(*) from inserted)::int as "inserted",
           (select settings->>${SPEND_CAP_KEY} from teams where id = ${run.teamId}::uuid) is not null as "spendCapSet",
           pg_notify(${RUN_EVENTS_CHANNEL}, json_build_object(
             'runId', ${run.id}::text, 'teamId', ${run.teamId}::text,
             'seq', bumped.last_seq, 'types', ${types}::jsonb, 'writer', ${leaseOwner}::text)::text) as notified
    from bumped`,
  );
  const [row] = rowsOf<{ lastSeq: number; inserted: number; spendCapSet: boolean }>(result);
  if (!row) throw new LeaseLostError(run.id);
  if (Number(row.inserted) !== n) throw new Error(`run ${run.id}: stored ${row.inserted} of ${n} events`);
  const last = Number(row.lastSeq);
  return { seqs: events.map((_, index) => last - n + 1 + index), spendCapSet: Boolean(row.spendCapSet) };
}

const dialect = new PgDialect();
/** Statement text → its name, per process (each pooled connection prepares a name once). */
const statementNames = new Map<string, string>();

/**
 * Runs a statement; outside a transaction on PostgreSQL as a named prepared statement, so the server
 * parses and plans the engine's append once per connection instead of at every step. Its text depends
 * only on the shape of the call (the values are parameters), so a handful of names cover every append.
 */
export async function executePrepared(db: Db | Tx, query: SQL): Promise<unknown> {
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return db.execute(query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  let name = statementNames.get(text);
  if (name === undefined) {
    // Named by the text itself: a connection can never hold one name for two texts.
    name = `foreman_${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return pool.query({ name, text, values: params });
}
