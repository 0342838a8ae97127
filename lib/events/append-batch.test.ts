import { asc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { runEvents, runs } from "@/db/schema";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { LeaseLostError } from "./append";
import { appendRunEventsBatched, sqlState } from "./append-batch";
import { type RunNotice, subscribe } from "./bus";
import type { NewRunEvent } from "./types";

/** `count` runs held by `worker` (as a claim leaves them). */
async function heldRuns(count: number, worker: string) {
  const admin = await teamAdmin();
  const db = await getDb();
  const held = [];
  for (let i = 0; i < count; i++) {
    const { run } = await insertRun(admin);
    await db.update(runs).set({ leaseOwner: worker, status: "running" }).where(eq(runs.id, run.id));
    held.push({ id: run.id, teamId: run.teamId });
  }
  return held;
}

/** Run i's step totals, written as the append's and read back from its row. */
const totalsOf = (i: number) => ({
  steps: 1,
  inputTokens: 100 + i,
  costUsd: 0.25,
  unpriced: i === 0,
  modelMs: 40,
  toolMs: 7,
});
const idsOf = (held: { id: string }[]) => held.map((run) => run.id);
const steer = (text: string): NewRunEvent => ({ type: "user_message", payload: { text, kind: "steer" } });

/** The transactions that wrote the runs' events: one id per commit. */
async function commitsOf(runIds: string[]): Promise<number> {
  const db = await getDb();
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(distinct xmin::text)::int as n from run_events
      where run_id in ${sql.raw(`(${runIds.map((id) => `'${id}'`).join(", ")})`)}`),
  );
  return row?.n ?? 0;
}

describe("batched appends", () => {
  it("stores the appends of runs that step together in one statement, each run's seqs and totals its own", async () => {
    const held = await heldRuns(6, "worker-batch");
    const notices: RunNotice[] = [];
    const unsubscribe = await subscribe({}, (notice) => {
      if (held.some((run) => run.id === notice.runId)) notices.push(notice);
    });
    const results = await Promise.all(
      held.map((run, i) =>
        appendRunEventsBatched({
          run,
          events: [steer(`first ${i}`), steer(`second ${i}`)],
          leaseOwner: "worker-batch",
          totals: totalsOf(i),
        }),
      ),
    );
    expect(results.map((result) => result.seqs)).toEqual(held.map(() => [1, 2]));
    // Appended in the same turn of the event loop: at most two statements (two may be on their way at once).
    expect(await commitsOf(idsOf(held))).toBeLessThanOrEqual(2);

    const db = await getDb();
    const rows = await db
      .select()
      .from(runs)
      .where(inArray(runs.id, idsOf(held)));
    for (const [i, run] of held.entries()) {
      const row = rows.find((r) => r.id === run.id);
      expect(row).toMatchObject({ lastSeq: 2, ...totalsOf(i) });
      const stored = await db
        .select()
        .from(runEvents)
        .where(eq(runEvents.runId, run.id))
        .orderBy(asc(runEvents.seq));
      expect(stored.map((event) => [event.seq, (event.payload as { text: string }).text])).toEqual([
        [1, `first ${i}`],
        [2, `second ${i}`],
      ]);
    }
    // One notice per run, naming its last seq and both types, from the worker that wrote them.
    await expect.poll(() => notices.length).toBe(held.length);
    for (const notice of notices) {
      expect(notice).toMatchObject({
        seq: 2,
        types: ["user_message", "user_message"],
        writer: "worker-batch",
      });
    }
    unsubscribe();
  });

  it("fails only the run whose lease is lost, and the run the database refuses", async () => {
    const held = await heldRuns(4, "worker-mixed");
    const db = await getDb();
    const [lost, refused, ...fine] = held as [(typeof held)[0], (typeof held)[0], ...typeof held];
    await db.update(runs).set({ leaseOwner: "another-worker" }).where(eq(runs.id, lost.id));
    const outcomes = await Promise.allSettled([
      appendRunEventsBatched({ run: lost, events: [steer("not mine")], leaseOwner: "worker-mixed" }),
      // A NUL character: JSON carries it, PostgreSQL's jsonb refuses it.
      appendRunEventsBatched({
        run: refused,
        events: [steer("bad \u0000 byte")],
        leaseOwner: "worker-mixed",
      }),
      ...fine.map((run) =>
        appendRunEventsBatched({
          run,
          events: [steer("fine")],
          leaseOwner: "worker-mixed",
          totals: { toolMs: 5 },
        }),
      ),
    ]);
    expect(outcomes[0]).toMatchObject({ status: "rejected", reason: expect.any(LeaseLostError) });
    expect(outcomes[1]?.status).toBe("rejected");
    expect(sqlState((outcomes[1] as PromiseRejectedResult).reason)).toBe("22P05");
    expect(outcomes.slice(2)).toEqual(
      fine.map(() => ({ status: "fulfilled", value: { seqs: [1], spendCapSet: false } })),
    );
    const stored = await db
      .select({ runId: runEvents.runId })
      .from(runEvents)
      .where(inArray(runEvents.runId, idsOf(held)));
    expect(stored.map((row) => row.runId).sort()).toEqual(fine.map((run) => run.id).sort());
    const [lostRow] = await db.select().from(runs).where(eq(runs.id, lost.id));
    expect(lostRow?.lastSeq).toBe(0);
  });
});
