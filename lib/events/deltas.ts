import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { RUN_DELTAS_CHANNEL } from "./append";
import type { RunNotice } from "./bus";

type Delta = NonNullable<RunNotice["delta"]>;
const FLUSH_MS = 50;
// NOTIFY payloads are limited to 8000 bytes.
const MAX_CHUNK = 2000;

/**
 * Token deltas are live-only: batched every 50 ms and sent with NOTIFY, never stored one by one
 * (the finished block is stored with the assistant message).
 */
export function createDeltaPublisher(run: { id: string; teamId: string }) {
  let pending: Delta | null = null;
  let timer: NodeJS.Timeout | null = null;

  const send = async (delta: Delta) => {
    const db = await getDb();
    for (let i = 0; i < delta.text.length; i += MAX_CHUNK) {
      const notice: RunNotice = {
        runId: run.id,
        teamId: run.teamId,
        delta: { ...delta, text: delta.text.slice(i, i + MAX_CHUNK) },
      };
      await db.execute(sql`select pg_notify(${RUN_DELTAS_CHANNEL}, ${JSON.stringify(notice)})`);
    }
  };

  const flush = () => {
    timer = null;
    const delta = pending;
    pending = null;
    if (delta) send(delta).catch((error) => console.error("[events] delta notify failed:", error.message));
  };

  return {
    publish(delta: Delta) {
      if (
        pending &&
        (pending.blockIndex !== delta.blockIndex ||
          pending.kind !== delta.kind ||
          pending.step !== delta.step)
      ) {
        flush();
      }
      pending = pending ? { ...pending, text: pending.text + delta.text } : { ...delta };
      timer ??= setTimeout(flush, FLUSH_MS);
    },
    /**
     * The finished reply is about to be stored with all of its text: what is still waiting adds nothing
     * and would reach watchers after the stored block. A reply shorter than one flush interval (a fast
     * model, a short answer) thus costs no NOTIFY at all.
     */
    dropPending() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
    close() {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}
