import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { runEvents, runs } from "@/db/schema";
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
    sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${JSON.stringify({ runId: run.id, teamId: run.teamId, seq: bumped.lastSeq, types: events.map((e) => e.type) })})`,
  );
  return seqs;
}
