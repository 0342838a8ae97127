import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runs } from "@/db/schema";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { claimRun, claimRuns, renewLease } from "./claim";

describe("run queue", () => {
  it("respects the agent's concurrency cap and hands an expired lease to another worker", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    const first = await insertRun(admin, { agent: { maxConcurrentRuns: 2 } });
    // Two more runs of the same agent.
    const more = [];
    for (let i = 0; i < 2; i++) {
      const [run] = await db
        .insert(runs)
        .values({ ...first.run, id: undefined, queuedAt: new Date(Date.now() + (i + 1) * 1000) })
        .returning();
      more.push(run);
    }
    const a = await claimRun("worker-a");
    const b = await claimRun("worker-b");
    expect([a?.id, b?.id]).toEqual([first.run.id, more[0]?.id]);
    expect(a?.status).toBe("running");
    // The third waits in the queue: never evicted, just not started.
    expect(await claimRun("worker-c")).toBeNull();
    expect(
      (
        await db
          .select()
          .from(runs)
          .where(eq(runs.id, more[1]?.id ?? ""))
      ).at(0)?.status,
    ).toBe("queued");

    // worker-a dies: its lease runs out, and the run goes to another worker, not to "failed".
    await db
      .update(runs)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(runs.id, first.run.id));
    const resumed = await claimRun("worker-c");
    expect(resumed).toMatchObject({
      id: first.run.id,
      leaseOwner: "worker-c",
      attempts: 2,
      status: "running",
    });
    expect(await renewLease(first.run.id, "worker-a")).toEqual({ held: false, cancelRequested: false });
    expect(await renewLease(first.run.id, "worker-c")).toEqual({ held: true, cancelRequested: false });
    await db.update(runs).set({ cancelRequestedAt: new Date() }).where(eq(runs.id, first.run.id));
    expect(await renewLease(first.run.id, "worker-c")).toEqual({ held: true, cancelRequested: true });
  });

  it("never gives one run to two workers claiming at once", async () => {
    const admin = await teamAdmin();
    const { run } = await insertRun(admin);
    const claims = await Promise.all(["w1", "w2", "w3", "w4"].map((w) => claimRun(w)));
    expect(claims.filter((c) => c?.id === run.id)).toHaveLength(1);
  });
});

describe("claiming many runs at once", () => {
  it("takes them in queue order within both caps, and one agent at its cap never holds back another's runs", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    const { updateTeamSettings } = await import("@/lib/teams/settings");
    // The earlier tests' runs (same team, same database) are out of the way.
    await db.update(runs).set({ status: "cancelled" });
    await updateTeamSettings(admin, "runs", { maxConcurrentRuns: 4 });
    // Agent A: cap 2, five runs queued first. Agent B: cap 5, three runs queued after them.
    const a = await insertRun(admin, { agent: { maxConcurrentRuns: 2 } });
    const b = await insertRun(admin, { agent: { maxConcurrentRuns: 5 } });
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    await db
      .update(runs)
      .set({ queuedAt: at(0) })
      .where(eq(runs.id, a.run.id));
    const moreA = [];
    for (let i = 1; i < 5; i++) {
      const [run] = await db
        .insert(runs)
        .values({ ...a.run, id: undefined, queuedAt: at(i) })
        .returning();
      moreA.push(run?.id);
    }
    await db
      .update(runs)
      .set({ queuedAt: at(10) })
      .where(eq(runs.id, b.run.id));
    const moreB = [];
    for (let i = 11; i < 13; i++) {
      const [run] = await db
        .insert(runs)
        .values({ ...b.run, id: undefined, queuedAt: at(i) })
        .returning();
      moreB.push(run?.id);
    }
    const claimed = await claimRuns("w1", 100);
    // A's first two (its cap), then B's first two (the team's cap of 4): A's other three don't count.
    expect(claimed.map((run) => run.id)).toEqual([a.run.id, moreA[0], b.run.id, moreB[0]]);
    expect(claimed.every((run) => run.status === "running" && run.leaseOwner === "w1")).toBe(true);
    expect(await claimRuns("w2", 100)).toEqual([]);
  });
});
