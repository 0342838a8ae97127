// Reading a run's stored events: the one query behind the engine's reload, the JSON lists and the streams.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { runEvents } from "@/db/schema";
import { RUN_END_EVENT, type RunEvent } from "./run-event";

/** The run's stored events with seq > afterSeq, in order. */
export async function readRunEvents(runId: string, afterSeq = 0): Promise<RunEvent[]> {
  const db = await getDb();
  return db
    .select({
      seq: runEvents.seq,
      type: runEvents.type,
      payload: runEvents.payload,
      createdAt: runEvents.createdAt,
    })
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, afterSeq)))
    .orderBy(asc(runEvents.seq));
}

/**
 * Whether the run ended at or before `seq`: its end event is stored there. One statement, so it is
 * judged on one snapshot. A run that reads as finished but has no end event at all (rows older than the
 * event) counts as ended too; with an end event stored, only its seq decides.
 */
export async function runEndedBy(runId: string, seq: number): Promise<boolean> {
  const db = await getDb();
  const result = await db.execute(sql`
    select exists (
      select 1 from run_events where run_id = ${runId} and type = ${RUN_END_EVENT} and seq <= ${seq}
    ) or (
      r.status in ('succeeded', 'failed', 'cancelled')
      and not exists (select 1 from run_events where run_id = ${runId} and type = ${RUN_END_EVENT})
    ) as ended
    from runs r where r.id = ${runId}`);
  return Boolean(rowsOf<{ ended: boolean }>(result)[0]?.ended);
}

interface PendingRead {
  runId: string;
  afterSeq: number;
  resolve: (events: RunEvent[]) => void;
  reject: (error: unknown) => void;
}
const pendingReads: PendingRead[] = [];
let readScheduled = false;

/**
 * readRunEvents for the live streams: the reads asked for in one turn of the event loop go in one query.
 * A worker stores the steps of many runs in one statement (append-batch.ts), so their notices arrive
 * together and every stream watching one of those runs reads at once: one query instead of one each.
 */
export function readRunEventsShared(runId: string, afterSeq = 0): Promise<RunEvent[]> {
  return new Promise((resolve, reject) => {
    pendingReads.push({ runId, afterSeq, resolve, reject });
    if (readScheduled) return;
    readScheduled = true;
    setImmediate(() => {
      readScheduled = false;
      void readTogether(pendingReads.splice(0));
    });
  });
}

async function readTogether(reads: PendingRead[]): Promise<void> {
  if (reads.length === 1) {
    const [read] = reads as [PendingRead];
    return readRunEvents(read.runId, read.afterSeq).then(read.resolve, read.reject);
  }
  try {
    const from = new Map<string, number>();
    for (const read of reads)
      from.set(read.runId, Math.min(from.get(read.runId) ?? read.afterSeq, read.afterSeq));
    const db = await getDb();
    const rows = rowsOf<RunEvent & { runId: string }>(
      await db.execute(sql`
        select e.run_id as "runId", e.seq, e.type, e.payload, e.created_at as "createdAt"
        from run_events e
        join unnest(${`{${[...from.keys()].join(",")}}`}::uuid[], ${`{${[...from.values()].join(",")}}`}::int[])
          as c(run_id, after_seq) on e.run_id = c.run_id and e.seq > c.after_seq
        order by e.run_id, e.seq`),
    );
    const byRun = new Map<string, RunEvent[]>();
    for (const { runId, ...event } of rows) {
      const createdAt = event.createdAt instanceof Date ? event.createdAt : new Date(event.createdAt);
      const events = byRun.get(runId) ?? [];
      events.push({ ...event, seq: Number(event.seq), createdAt });
      byRun.set(runId, events);
    }
    for (const read of reads)
      read.resolve((byRun.get(read.runId) ?? []).filter((event) => event.seq > read.afterSeq));
  } catch (error) {
    for (const read of reads) read.reject(error);
  }
}
