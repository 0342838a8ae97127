// The SSE body of a run: stored events after a cursor, then live ones as they are notified, with
// keepalive comments, until the run's end event has gone out. Kept free of the database and the request
// so it can be tested with a fake source.
import { SSE_KEEPALIVE, SSE_RETRY, sseMessage } from "@/lib/api/sse";
import type { RunNotice } from "@/lib/events/bus";
import type { Draft } from "@/lib/events/draft";
import { RUN_END_EVENT, type RunEvent, serializeRunEvent } from "@/lib/events/run-event";

export interface RunEventSource {
  /** Starts listening for the run's notices; resolves once listening, with the unsubscribe. */
  subscribe(listener: (notice: RunNotice) => void): Promise<() => void>;
  /** Stored events with seq > afterSeq, in order. */
  readAfter(afterSeq: number): Promise<RunEvent[]>;
  /**
   * Whether the run has ended at or before `seq`: its end event is stored there, so a client resuming
   * from `seq` already has it and there is nothing left to send.
   */
  endedBy(seq: number): Promise<boolean>;
  /** The reply being written right now, as the deltas heard so far have built it. */
  draft?(): Draft | null;
}

export interface Clock {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemClock: Clock = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export const KEEPALIVE_MS = 15_000;

/** The largest seq run_events.seq (an integer column) can hold. */
export const MAX_SEQ = 2_147_483_647;

/**
 * The cursor a client resumes from: the Last-Event-ID header wins over `?after=`. A cursor past what
 * the column holds means "after everything" (clamped, so the query never overflows the integer).
 */
export function parseCursor(lastEventId: string | null, after: string | null): number {
  for (const raw of [lastEventId, after]) {
    if (raw && /^\d+$/.test(raw.trim())) return Math.min(Number(raw.trim()), MAX_SEQ);
  }
  return 0;
}

const formatRunEvent = (event: RunEvent) => sseMessage("run_event", serializeRunEvent(event), event.seq);

export function runEventStream({
  source,
  after,
  signal,
  clock = systemClock,
  keepaliveMs = KEEPALIVE_MS,
  onError = (error) => console.error("[sse] run event stream failed:", error),
}: {
  source: RunEventSource;
  after: number;
  signal: AbortSignal;
  clock?: Clock;
  keepaliveMs?: number;
  onError?: (error: unknown) => void;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = after;
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let keepalive: unknown;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  // Reads are serialized; notices that arrive during a read ask for one more read after it.
  let reading: Promise<void> | null = null;
  let readAgain = false;

  const write = (chunk: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(chunk));
    } catch {
      close();
    }
  };

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    if (keepalive !== undefined) clock.clearInterval(keepalive);
    signal.removeEventListener("abort", close);
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  };

  const readStored = (): Promise<void> => {
    if (reading) {
      readAgain = true;
      return reading;
    }
    reading = (async () => {
      do {
        readAgain = false;
        const events = await source.readAfter(cursor);
        for (const event of events) {
          // The same event can be both read and notified: each seq goes out once, in order.
          if (event.seq <= cursor) continue;
          cursor = event.seq;
          write(formatRunEvent(event));
          // The stream ends on the end event it has itself sent, never on a separate look at the run's
          // status, which can see the run finished before this read saw its last events.
          if (event.type === RUN_END_EVENT) return close();
        }
      } while (readAgain && !closed);
    })()
      .catch((error) => {
        onError(error);
        close();
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };

  const onNotice = (notice: RunNotice) => {
    if (closed) return;
    if (notice.delta) write(sseMessage("delta", notice.delta));
    else if (notice.seq === undefined || notice.seq > cursor) void readStored();
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal.aborted) return close();
      signal.addEventListener("abort", close);
      write(SSE_RETRY);
      try {
        // Listen first, then read: an event stored in between is either read or notified, never lost.
        const subscribing = source.subscribe(onNotice);
        // In the same tick as the listener was added: the draft so far, then every later delta once.
        const draft = source.draft?.();
        if (draft) write(sseMessage("draft", draft));
        const stop = await subscribing;
        if (closed) return stop();
        unsubscribe = stop;
      } catch (error) {
        onError(error);
        return close();
      }
      try {
        // A client resuming after the end event has it already: an empty stream that ends at once.
        // (The end event is the run's last, so once stored at or before the cursor, nothing can follow.)
        if (await source.endedBy(cursor)) return close();
      } catch (error) {
        onError(error);
        return close();
      }
      // A notice heard meanwhile may have read up to the end event already, and closed the stream.
      if (closed) return;
      keepalive = clock.setInterval(() => write(SSE_KEEPALIVE), keepaliveMs);
      await readStored();
    },
    cancel() {
      close();
    },
  });
}
