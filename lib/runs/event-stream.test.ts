import { describe, expect, it } from "vitest";
import type { RunNotice } from "@/lib/events/bus";
import type { RunEvent } from "@/lib/events/run-event";
import { type Clock, parseCursor, runEventStream } from "./event-stream";

const event = (seq: number, type = "assistant_message"): RunEvent => ({
  seq,
  type,
  payload: { step: seq },
  createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)),
});

/** A stored log and a bus, in memory: `append` stores an event and notifies like the real append. */
function fakeSource(initial: RunEvent[]) {
  const stored = [...initial];
  const listeners = new Set<(notice: RunNotice) => void>();
  let subscribed = 0;
  let unsubscribed = 0;
  return {
    stored,
    get subscribed() {
      return subscribed;
    },
    get unsubscribed() {
      return unsubscribed;
    },
    notify(notice: Omit<RunNotice, "runId" | "teamId">) {
      for (const listener of listeners) listener({ runId: "r", teamId: "t", ...notice });
    },
    append(e: RunEvent) {
      stored.push(e);
      this.notify({ seq: e.seq });
    },
    source: {
      subscribe: async (listener: (notice: RunNotice) => void) => {
        subscribed++;
        listeners.add(listener);
        return () => {
          unsubscribed++;
          listeners.delete(listener);
        };
      },
      readAfter: async (after: number) => stored.filter((e) => e.seq > after),
      endedBy: async (seq: number) => stored.some((e) => e.type === "run_finished" && e.seq <= seq),
    },
  };
}

function fakeClock() {
  const timers = new Map<number, () => void>();
  let next = 1;
  const clock: Clock = {
    setInterval: (fn) => {
      timers.set(next, fn);
      return next++;
    },
    clearInterval: (handle) => timers.delete(handle as number),
  };
  return {
    clock,
    tick: () => {
      for (const fn of timers.values()) fn();
    },
    get active() {
      return timers.size;
    },
  };
}

async function collect(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  // A read left pending by a drain that timed out is picked up by the next drain, so nothing is lost.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  return {
    /** Reads whatever has been written so far. */
    async drain() {
      for (;;) {
        pending ??= reader.read();
        const result = await Promise.race([
          pending,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 20)),
        ]);
        if (!result) return text;
        pending = null;
        if (result.done) return text;
        text += decoder.decode(result.value);
      }
    },
    async next() {
      pending ??= reader.read();
      return pending;
    },
    reader,
  };
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe("runEventStream", () => {
  it("sends stored events after the cursor, then live ones, each once and in order", async () => {
    const fake = fakeSource([event(1), event(2), event(3)]);
    const abort = new AbortController();
    const { clock } = fakeClock();
    const out = await collect(runEventStream({ source: fake.source, after: 1, signal: abort.signal, clock }));
    let text = await out.drain();
    expect(ids(text)).toEqual([2, 3]);
    expect(text).toContain(
      'event: run_event\ndata: {"seq":2,"type":"assistant_message","payload":{"step":2},"createdAt":"2025-01-01T00:00:02.000Z"}\n\n',
    );

    fake.append(event(4, "tool_call"));
    fake.notify({ seq: 3 }); // a late duplicate notice
    fake.append(event(5, "run_finished"));
    text = await out.drain();
    expect(ids(text)).toEqual([2, 3, 4, 5]);
    abort.abort();
  });

  it("ends right after sending run_finished, and stops listening", async () => {
    const fake = fakeSource([event(1), event(2, "run_finished")]);
    const time = fakeClock();
    const out = await collect(
      runEventStream({
        source: fake.source,
        after: 0,
        signal: new AbortController().signal,
        clock: time.clock,
      }),
    );
    expect(ids(await out.drain())).toEqual([1, 2]);
    expect((await out.next()).done).toBe(true);
    expect(fake.unsubscribed).toBe(1);
    expect(time.active).toBe(0);
  });

  it("ends at once, with no event, for a client that already has run_finished", async () => {
    const fake = fakeSource([event(1), event(2, "run_finished")]);
    const out = await collect(
      runEventStream({ source: fake.source, after: 2, signal: new AbortController().signal }),
    );
    expect(ids(await out.drain())).toEqual([]);
    expect((await out.next()).done).toBe(true);
  });

  it("leaves no keepalive behind when the run ends while the stream is still opening", async () => {
    const fake = fakeSource([event(1)]);
    const time = fakeClock();
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const source = {
      ...fake.source,
      // The run ends (stored and notified) while the stream asks whether the client already has the end.
      endedBy: async (seq: number) => {
        const ended = await fake.source.endedBy(seq);
        fake.append(event(2, "run_finished"));
        await answered;
        return ended;
      },
    };
    const out = await collect(
      runEventStream({ source, after: 0, signal: new AbortController().signal, clock: time.clock }),
    );
    expect(ids(await out.drain())).toEqual([1, 2]);
    expect((await out.next()).done).toBe(true);
    answer();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(time.active).toBe(0);
  });

  it("keeps going when the read it ends on raced the run's end: it ends on run_finished itself", async () => {
    // The first read answers from before the run finished; the run's end is stored and notified meanwhile.
    const fake = fakeSource([event(1)]);
    let first = true;
    const source = {
      ...fake.source,
      readAfter: async (after: number) => {
        const stale = await fake.source.readAfter(after);
        if (first) {
          first = false;
          fake.append(event(2, "run_finished"));
        }
        return stale;
      },
    };
    const out = await collect(runEventStream({ source, after: 0, signal: new AbortController().signal }));
    expect(ids(await out.drain())).toEqual([1, 2]);
    expect((await out.next()).done).toBe(true);
  });

  it("does not lose an event stored between subscribing and the first read", async () => {
    const fake = fakeSource([event(1)]);
    const source = {
      ...fake.source,
      subscribe: async (listener: (notice: RunNotice) => void) => {
        const stop = await fake.source.subscribe(listener);
        fake.append(event(2)); // stored (and notified) right after listening began
        return stop;
      },
    };
    const out = await collect(runEventStream({ source, after: 0, signal: new AbortController().signal }));
    expect(ids(await out.drain())).toEqual([1, 2]);
    await out.reader.cancel();
  });

  it("sends token deltas live without an id, and a keepalive comment on each tick", async () => {
    const fake = fakeSource([]);
    const abort = new AbortController();
    const time = fakeClock();
    const out = await collect(
      runEventStream({ source: fake.source, after: 0, signal: abort.signal, clock: time.clock }),
    );
    await out.drain();
    fake.notify({ delta: { blockIndex: 0, kind: "text", text: "Hel", step: 1 } });
    time.tick();
    const text = await out.drain();
    expect(text).toContain('event: delta\ndata: {"blockIndex":0,"kind":"text","text":"Hel","step":1}\n\n');
    expect(text).toContain(": keepalive\n\n");
    expect(ids(text)).toEqual([]);
    abort.abort();
  });

  it("opens with the reply written so far, then only the deltas that come after it", async () => {
    const fake = fakeSource([event(1)]);
    const abort = new AbortController();
    const source = {
      ...fake.source,
      draft: () => ({ step: 2, blocks: [{ blockIndex: 0, kind: "text" as const, text: "I read the " }] }),
    };
    const out = await collect(runEventStream({ source, after: 0, signal: abort.signal }));
    fake.notify({ delta: { blockIndex: 0, kind: "text", text: "repository", step: 2 } });
    const text = await out.drain();
    const draftAt = text.indexOf(
      'event: draft\ndata: {"step":2,"blocks":[{"blockIndex":0,"kind":"text","text":"I read the "}]}',
    );
    expect(draftAt).toBeGreaterThan(-1);
    expect(text.indexOf('"text":"repository"')).toBeGreaterThan(draftAt);
    expect(ids(text)).toEqual([1]);
    abort.abort();
  });

  it("unsubscribes, stops the keepalive and ends the body when the client goes away", async () => {
    const fake = fakeSource([event(1)]);
    const abort = new AbortController();
    const time = fakeClock();
    const out = await collect(
      runEventStream({ source: fake.source, after: 0, signal: abort.signal, clock: time.clock }),
    );
    await out.drain();
    expect(time.active).toBe(1);
    abort.abort();
    expect(fake.unsubscribed).toBe(1);
    expect(time.active).toBe(0);
    const rest = await out.next();
    expect(rest.done).toBe(true);
  });
});

describe("parseCursor", () => {
  it("prefers Last-Event-ID, then ?after=, and ignores garbage", () => {
    expect(parseCursor("7", "3")).toBe(7);
    expect(parseCursor(null, "3")).toBe(3);
    expect(parseCursor("x", "nope")).toBe(0);
    expect(parseCursor(null, null)).toBe(0);
  });
});
