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
