// The worker's appends outside a transaction, many runs' in one statement: while a statement is on its way,
// the appends that come in wait and then go together. One round trip, one commit and one wake-up of a
// database backend then serve every run that stepped meanwhile, so under load a step costs a fraction of a
// statement; alone, an append goes at once (after the current turn of the event loop) as before.
// Each run's events, its seq and its totals are exactly what appendRunEventsAtOnce writes for one run, fenced
// by the lease the same way; a statement that fails is retried one run at a time, so one run's problem
// never fails another's append.
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { SPEND_CAP_KEY } from "@/lib/metrics/spend-cap";
import { executePrepared, LeaseLostError, RUN_EVENTS_CHANNEL } from "./append";
import type { NewRunEvent } from "./types";

/** What a step adds to its run's row: `steps` is set, the rest are added. */
export interface StepTotals {
  steps?: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheWriteTokens?: number;
  cacheReadTokens?: number;
  costUsd?: number;
  unpriced?: boolean;
  modelMs?: number;
  toolMs?: number;
}

export interface BatchedAppend {
  run: { id: string; teamId: string };
  events: NewRunEvent[];
  leaseOwner: string;
  totals?: StepTotals;
}

interface Pending extends BatchedAppend {
  resolve: (result: { seqs: number[]; spendCapSet: boolean }) => void;
  reject: (error: unknown) => void;
}

/** Runs in one statement, at most. */
const MAX_BATCH = 64;
/** Statements on their way at once: more would take appends away from the next batch. */
const MAX_IN_FLIGHT = 2;

const queue: Pending[] = [];
let inFlight = 0;
let scheduled = false;

/**
 * Appends `events` to the run, batched with other runs' appends of this process. Resolves with their seqs and
 * whether the team has a monthly spend cap (as appendRunEventsAtOnce); LeaseLostError when another worker
 * holds the run.
 */
export function appendRunEventsBatched(
  append: BatchedAppend,
): Promise<{ seqs: number[]; spendCapSet: boolean }> {
  if (append.events.length === 0) return Promise.resolve({ seqs: [], spendCapSet: true });
  return new Promise((resolve, reject) => {
    queue.push({ ...append, resolve, reject });
    schedule();
  });
}

function schedule(): void {
  if (scheduled || inFlight >= MAX_IN_FLIGHT || queue.length === 0) return;
  scheduled = true;
  // After this turn of the event loop: every run that appends in it goes in the same statement.
  setImmediate(() => {
    scheduled = false;
    if (inFlight >= MAX_IN_FLIGHT) return;
    const batch = takeBatch();
    if (batch.length === 0) return;
    inFlight += 1;
    send(batch).finally(() => {
      inFlight -= 1;
      schedule();
    });
  });
}

/** Up to MAX_BATCH appends, one per run (a run's later append waits for the next statement). */
function takeBatch(): Pending[] {
  const batch: Pending[] = [];
  const runs = new Set<string>();
  for (let i = 0; i < queue.length && batch.length < MAX_BATCH; ) {
    const item = queue[i] as Pending;
    if (runs.has(item.run.id)) {
      i++;
      continue;
    }
    runs.add(item.run.id);
    batch.push(item);
    queue.splice(i, 1);
  }
  return batch;
}

/** The SQLSTATE the database answered with (drizzle wraps the driver's error as its cause), if any. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** An error the database answered with, as opposed to a connection that failed. */
const isRefusal = (error: unknown) => sqlState(error) !== undefined;

type Outcome = { seqs: number[]; spendCapSet: boolean } | Error;

async function send(batch: Pending[]): Promise<void> {
  let outcomes: Map<string, Outcome>;
  try {
    outcomes = await appendAll(batch);
  } catch (error) {
    // The database refused the statement, so it stored nothing: one run's problem, or a deadlock with a
    // statement that locks several runs. Each run on its own then. Any other failure (the connection
    // dropped) may have come after the commit: every caller hears of it, nothing is sent twice.
    if (batch.length > 1 && isRefusal(error)) await Promise.all(batch.map((item) => send([item])));
    else for (const item of batch) item.reject(error);
    return;
  }
  for (const item of batch) {
    const outcome = outcomes.get(item.run.id) ?? new LeaseLostError(item.run.id);
    if (outcome instanceof Error) item.reject(outcome);
    else item.resolve(outcome);
  }
}

/** One statement for the batch: each run's seqs, or why it stored nothing (absent: the lease is lost). */
async function appendAll(batch: Pending[]): Promise<Map<string, Outcome>> {
  const db = await getDb();
  const items = JSON.stringify(
    batch.map(({ run, events, leaseOwner, totals = {} }) => ({
      run_id: run.id,
      lease_owner: leaseOwner,
      team_id: run.teamId,
      n: events.length,
      events: events.map((event) => ({ type: event.type, payload: event.payload })),
      steps: totals.steps,
      input_tokens: totals.inputTokens,
      output_tokens: totals.outputTokens,
      cache_write_tokens: totals.cacheWriteTokens,
      cache_read_tokens: totals.cacheReadTokens,
      cost_usd: totals.costUsd,
      unpriced: totals.unpriced,
      model_ms: totals.modelMs,
      tool_ms: totals.toolMs,
    })),
  );
  const result = await executePrepared(
    db,
    sql`
    with input as (
      select * from jsonb_to_recordset(${items}::jsonb) as x(run_id uuid, lease_owner text, team_id uuid,
        n int, events jsonb,
        steps int, input_tokens bigint, output_tokens bigint, cache_write_tokens bigint, cache_read_tokens bigint,
        cost_usd numeric, unpriced boolean, model_ms bigint, tool_ms bigint)
    ), bumped as (
      update runs r set last_seq = r.last_seq + i.n,
        steps = coalesce(i.steps, r.steps),
        input_tokens = r.input_tokens + coalesce(i.input_tokens, 0),
        output_tokens = r.output_tokens + coalesce(i.output_tokens, 0),
        cache_write_tokens = r.cache_write_tokens + coalesce(i.cache_write_tokens, 0),
        cache_read_tokens = r.cache_read_tokens + coalesce(i.cache_read_tokens, 0),
        cost_usd = r.cost_usd + coalesce(i.cost_usd, 0),
        unpriced = r.unpriced or coalesce(i.unpriced, false),
        model_ms = r.model_ms + coalesce(i.model_ms, 0),
        tool_ms = r.tool_ms + coalesce(i.tool_ms, 0)
      from input i
      where r.id = i.run_id and r.lease_owner = i.lease_owner
      returning r.id, i.team_id, r.last_seq, i.n, i.events, i.lease_owner
    ), inserted as (
      insert into run_events (run_id, seq, team_id, type, payload)
      select b.id, b.last_seq - b.n + e.ord::int, b.team_id, e.value->>'type', e.value->'payload'
      from bumped b, jsonb_array_elements(b.events) with ordinality as e(value, ord)
      returning run_id
    )
    select b.id as "runId", b.last_seq as "lastSeq",
           (select count(*) from inserted where inserted.run_id = b.id)::int as "inserted",
           (select settings->>${SPEND_CAP_KEY} from teams where id = b.team_id) is not null as "spendCapSet",
           pg_notify(${RUN_EVENTS_CHANNEL}, json_build_object(
             'runId', b.id::text, 'teamId', b.team_id::text, 'seq', b.last_seq,
             'types', (select jsonb_agg(e.value->>'type' order by e.ord)
                       from jsonb_array_elements(b.events) with ordinality as e(value, ord)),
             'writer', b.lease_owner)::text) as notified
    from bumped b`,
  );
  const byRun = new Map(batch.map((item) => [item.run.id, item]));
  const outcomes = new Map<string, Outcome>();
  for (const row of rowsOf<{ runId: string; lastSeq: number; inserted: number; spendCapSet: boolean }>(
    result,
  )) {
    const n = byRun.get(row.runId)?.events.length ?? 0;
    const last = Number(row.lastSeq);
    outcomes.set(
      row.runId,
      Number(row.inserted) === n
        ? {
            seqs: Array.from({ length: n }, (_, index) => last - n + 1 + index),
            spendCapSet: Boolean(row.spendCapSet),
          }
        : new Error(`run ${row.runId}: stored ${row.inserted} of ${n} events`),
    );
  }
  return outcomes;
}
