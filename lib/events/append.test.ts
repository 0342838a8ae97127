import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runEvents } from "@/db/schema";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { appendRunEvents } from "./append";
import { type RunNotice, subscribe } from "./bus";

describe("run events", () => {
  it("hands out gap-free sequence numbers to concurrent writers", async () => {
    const { run } = await insertRun(await teamAdmin());
    const db = await getDb();
    const writers = Array.from({ length: 8 }, (_, i) =>
      db.transaction((tx) =>
        appendRunEvents(tx, run, [
          { type: "user_message", payload: { text: `steer ${i}`, kind: "steer" } },
          { type: "retry", payload: { attempt: i, reason: "test", delayMs: 0 } },
        ]),
      ),
    );
    const seqs = (await Promise.all(writers)).flat().sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const stored = await db
      .select()
      .from(runEvents)
      .where(eq(runEvents.runId, run.id))
      .orderBy(asc(runEvents.seq));
    expect(stored.map((e) => e.seq)).toEqual(seqs);
  });

  it("notifies subscribers after commit, and never for a rolled-back event", async () => {
    const { run } = await insertRun(await teamAdmin());
    const db = await getDb();
    const notices: RunNotice[] = [];
    const unsubscribe = await subscribe({ runId: run.id }, (notice) => notices.push(notice));
    await db
      .transaction(async (tx) => {
        await appendRunEvents(tx, run, [{ type: "user_message", payload: { text: "lost", kind: "steer" } }]);
        throw new Error("roll back");
      })
      .catch(() => {});
    await db.transaction((tx) =>
      appendRunEvents(tx, run, [{ type: "user_message", payload: { text: "kept", kind: "steer" } }]),
    );
    await expect.poll(() => notices.length).toBe(1);
    expect(notices[0]).toMatchObject({ runId: run.id, seq: 1 });
    unsubscribe();
    const stored = await db.select().from(runEvents).where(eq(runEvents.runId, run.id));
    expect(stored.map((e) => (e.payload as { text: string }).text)).toEqual(["kept"]);
  });
});
