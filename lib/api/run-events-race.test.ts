// The end of a run's SSE stream against the run finishing at the same moment, made deterministic: the
// stream's read of stored events is held right after it has read (and found nothing new), the run then
// finishes (run_finished and the status in one transaction, as the engine does), and only then does the
// stream get its stale answer. A stream that judges "finished" from a second, later read (the status)
// closes without run_finished; the stream must end only once it has sent run_finished.
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import { getDb } from "@/db";
import { runs } from "@/db/schema";
import { appendRunEvents } from "@/lib/events/append";
import { subscribe } from "@/lib/events/bus";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";

/** Runs once, between the stream's read of the stored events and the moment it gets them. */
const hook: { afterRead?: () => Promise<void> } = {};

vi.mock("@/lib/events/read", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/events/read")>();
  const held =
    (read: typeof actual.readRunEvents) =>
    async (...args: Parameters<typeof actual.readRunEvents>) => {
      const events = await read(...args);
      const afterRead = hook.afterRead;
      hook.afterRead = undefined;
      await afterRead?.();
      return events;
    };
  // Both: the streams read through the shared reader (one query for the reads of one turn).
  return {
    ...actual,
    readRunEvents: held(actual.readRunEvents),
    readRunEventsShared: held(actual.readRunEventsShared),
  };
});

const ids = (stream: string) => [...stream.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe("a run's event stream racing the run's end", () => {
  it("sends run_finished before it ends, even when the run finishes between a read and the end check", async () => {
    const admin = await teamAdmin();
    const { token } = await createApiToken(admin, { name: "race" });
    const { run } = await insertRun(admin);
    const db = await getDb();
    await db.transaction(async (tx) => {
      await appendRunEvents(tx, run, [
        { type: "user_message", payload: { text: "Fix it", kind: "task" } },
        { type: "status_changed", payload: { status: "running" } },
      ]);
      await tx.update(runs).set({ status: "running" }).where(eq(runs.id, run.id));
    });

    // The run finishes while the stream's first read is in flight, after it has read the events.
    hook.afterRead = async () => {
      let heard!: () => void;
      const noticed = new Promise<void>((resolve) => {
        heard = resolve;
      });
      const stop = await subscribe({ runId: run.id }, (notice) => {
        if (notice.types?.includes("run_finished")) heard();
      });
      await db.transaction(async (tx) => {
        await appendRunEvents(tx, run, [
          { type: "run_finished", payload: { status: "succeeded", stopReason: "end_turn" } },
        ]);
        await tx.update(runs).set({ status: "succeeded", finishedAt: new Date() }).where(eq(runs.id, run.id));
      });
      // The notice of run_finished has reached this process before the stream sees its stale read.
      await noticed;
      stop();
    };

    const request = new Request(`http://localhost/api/v1/runs/${run.id}/events`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream", "last-event-id": "2" },
    });
    const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: run.id }) });
    expect(response.status).toBe(200);
    const text = await Promise.race([
      response.text(),
      new Promise<string>((_, reject) =>
        setTimeout(() => reject(new Error("the stream never ended")), 10_000),
      ),
    ]);
    expect(hook.afterRead).toBeUndefined(); // the race was really run
    expect(ids(text)).toEqual([3]);
    expect(text).toContain('"type":"run_finished"');
  });

  it("ends at once for a run that reads as finished but has no end event (rows from before it existed)", async () => {
    const admin = await teamAdmin();
    const { token } = await createApiToken(admin, { name: "old" });
    const { run } = await insertRun(admin);
    const db = await getDb();
    await db.update(runs).set({ status: "failed", finishedAt: new Date() }).where(eq(runs.id, run.id));
    const request = new Request(`http://localhost/api/v1/runs/${run.id}/events`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    });
    const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: run.id }) });
    const text = await Promise.race([
      response.text(),
      new Promise<string>((_, reject) =>
        setTimeout(() => reject(new Error("the stream never ended")), 10_000),
      ),
    ]);
    expect(ids(text)).toEqual([]);
  });
});
