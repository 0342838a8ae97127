// The SSE body of a run: stored events after a cursor, then live ones as they are notified, with
// keepalive comments. Kept free of the database and the request so it can be tested with a fake source.
import type { RunNotice } from "@/lib/events/bus";
import type { Draft } from "@/lib/events/draft";

export interface StreamedEvent {
  seq: number;
  type: string;
  payload: unknown;
  createdAt: Date;
}

export interface RunEventSource {
  /** Starts listening for the run's notices; resolves once listening, with the unsubscribe. */
  subscribe(listener: (notice: RunNotice) => void): Promise<() => void>;
  /** Stored events with seq > afterSeq, in order. */
  readAfter(afterSeq: number): Promise<StreamedEvent[]>;
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

export function formatRunEvent(event: StreamedEvent): string {
  const data = JSON.stringify({
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    createdAt: event.createdAt.toISOString(),
  });
  return `id: ${event.seq}\nevent: run_event\ndata: ${data}\n\n`;
}

export function formatDelta(delta: NonNullable<RunNotice["delta"]>): string {
  return `event: delta\ndata: ${JSON.stringify(delta)}\n\n`;
}

export function formatDraft(draft: Draft): string {
  return `event: draft\ndata: ${JSON.stringify(draft)}\n\n`;
}

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
    if (notice.delta) write(formatDelta(notice.delta));
    else if (notice.seq === undefined || notice.seq > cursor) void readStored();
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal.aborted) return close();
      signal.addEventListener("abort", close);
      write("retry: 3000\n\n");
      try {
        // Listen first, then read: an event stored in between is either read or notified, never lost.
        const subscribing = source.subscribe(onNotice);
        // In the same tick as the listener was added: the draft so far, then every later delta once.
        const draft = source.draft?.();
        if (draft) write(formatDraft(draft));
        const stop = await subscribing;
        if (closed) return stop();
        unsubscribe = stop;
      } catch (error) {
        onError(error);
        return close();
      }
      keepalive = clock.setInterval(() => write(": keepalive\n\n"), keepaliveMs);
      await readStored();
    },
    cancel() {
      close();
    },
  });
}
