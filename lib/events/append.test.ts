import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runEvents, runs, teams } from "@/db/schema";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { appendRunEvents, appendRunEventsAtOnce, LeaseLostError } from "./append";
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

  it("the worker's one-statement append: seqs interleave with people's, totals commit with the events, a lost lease stores nothing", async () => {
    const { run } = await insertRun(await teamAdmin());
    const db = await getDb();
    await db.update(runs).set({ leaseOwner: "worker-a" }).where(eq(runs.id, run.id));
    const notices: RunNotice[] = [];
    const unsubscribe = await subscribe({ runId: run.id }, (notice) => notices.push(notice));

    const first = await appendRunEventsAtOnce(
      db,
      run,
      [
        { type: "retry", payload: { attempt: 1, reason: "a", delayMs: 0 } },
        { type: "retry", payload: { attempt: 2, reason: "b", delayMs: 0 } },
      ],
      "worker-a",
      sql`steps = 7, tool_ms = tool_ms + 250`,
    );
    const [person] = await db.transaction((tx) =>
      appendRunEvents(tx, run, [{ type: "user_message", payload: { text: "steer", kind: "steer" } }]),
    );
    const second = await appendRunEventsAtOnce(
      db,
      run,
      [{ type: "retry", payload: { attempt: 3, reason: "c", delayMs: 0 } }],
      "worker-a",
    );
    expect([...first.seqs, person, ...second.seqs]).toEqual([1, 2, 3, 4]);
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ lastSeq: 4, steps: 7, toolMs: 250 });
    await expect.poll(() => notices.map((n) => n.seq)).toEqual([2, 3, 4]);
    expect(notices[0]).toMatchObject({ types: ["retry", "retry"], writer: "worker-a" });

    await expect(
      appendRunEventsAtOnce(
        db,
        run,
        [{ type: "retry", payload: { attempt: 4, reason: "d", delayMs: 0 } }],
        "worker-b",
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    unsubscribe();

    // The same statement says whether the team has a monthly spend cap (the loop's check before each call).
    expect(second.spendCapSet).toBe(false);
    await db
      .update(teams)
      .set({ settings: { monthlySpendCapUsd: 5 } })
      .where(eq(teams.id, run.teamId));
    const capped = await appendRunEventsAtOnce(
      db,
      run,
      [{ type: "retry", payload: { attempt: 5, reason: "e", delayMs: 0 } }],
      "worker-a",
    );
    expect(capped).toEqual({ seqs: [5], spendCapSet: true });
    const stored = await db
      .select()
      .from(runEvents)
      .where(eq(runEvents.runId, run.id))
      .orderBy(asc(runEvents.seq));
    expect(stored.map((e) => [e.seq, e.type])).toEqual([
      [1, "retry"],
      [2, "retry"],
      [3, "user_message"],
      [4, "retry"],
      [5, "retry"],
    ]);
    expect((stored[1]?.payload as { reason: string } | undefined)?.reason).toBe("b");
  });
});
