// Every metric over the fixture in ./fixture.ts, against numbers worked out by hand (see the comments there).
// Range: 7 days ending 2026-11-20 (UTC), i.e. [2026-11-14, 2026-11-21); the previous period is the 7 days before.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import type { Actor } from "@/lib/auth/permissions";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { FIXTURE_NOW, insertMetricsFixture, UNPRICED_MODEL } from "./fixture";
import { resolveRange } from "./range";
import { getMetrics } from "./service";

let ada: Actor;
let bob: Actor;
let ids: Awaited<ReturnType<typeof insertMetricsFixture>>;
const week = { range: "7d" as const };

beforeAll(async () => {
  ada = await teamAdmin();
  bob = await teamMember("developer");
  ids = await insertMetricsFixture(await getDb(), { teamId: ada.teamId, ada: ada.userId, bob: bob.userId });
});

describe("metrics over the hand-computed fixture", () => {
  it("resolves presets and custom ranges to UTC days, with the previous period", () => {
    const range = resolveRange(week, FIXTURE_NOW);
    expect(range.from.toISOString()).toBe("2026-11-14T00:00:00.000Z");
    expect(range.to.toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(range.previous.from.toISOString()).toBe("2026-11-07T00:00:00.000Z");
    const custom = resolveRange({ from: "2026-11-15", to: "2026-11-16" }, FIXTURE_NOW);
    expect([custom.from.toISOString(), custom.to.toISOString(), custom.days]).toEqual([
      "2026-11-15T00:00:00.000Z",
      "2026-11-17T00:00:00.000Z",
      2,
    ]);
    expect(() => resolveRange({ from: "2026-11-16", to: "2026-11-15" })).toThrow(/on or after/);
    expect(() => resolveRange({ groupBy: "planet" as never })).toThrow(/Group by/);
  });

  it("computes team totals: spend with cache tokens and an unpriced model, durations, outcomes, reviews", async () => {
    const m = await getMetrics(bob, week, FIXTURE_NOW);
    const t = m.total;
    // Runs queued in range: R1–R6 and the cancelled-in-queue R8.
    expect(t.runs).toBe(7);
    expect([t.succeededRuns, t.failedRuns, t.cancelledRuns, t.finishedRuns]).toEqual([5, 1, 1, 6]);
    // 0.027 + 0.04 + 0.011 + 0.4875 + 0 (unpriced) + 0.006 + 0
    expect(t.spend).toBe(0.5715);
    expect(t.unpricedRuns).toBe(1);
    expect(t.tokens).toEqual({ input: 186_000, output: 23_000, cacheWrite: 14_000, cacheRead: 30_000 });
    // Wall times of runs that ran: 310k, 600k ×3, 1 260k, 1 800k ms.
    expect(t.duration.p50Ms).toBe(600_000);
    expect(t.duration.p90Ms).toBe(1_530_000);
    expect(t.duration.avgQueueMs).toBeCloseTo(100_000 / 6, 3);
    expect(t.duration.avgModelMs).toBeCloseTo(2_450_000 / 6, 3);
    expect(t.duration.avgToolMs).toBeCloseTo(1_340_000 / 6, 3);
    expect(t.duration.avgHumanMs).toBe(20_000);
    expect(t.verification).toEqual({ verified: 6, passed: 5, passRate: 5 / 6 });
    // Ended: T1, T2 merged; T3 failed; T4 discarded. T7 was cancelled before it started: not an outcome.
    expect(t.tasks).toEqual({
      ended: 4,
      merged: 2,
      discarded: 1,
      failed: 1,
      cancelled: 0,
      mergedFirstTry: 1,
    });
    expect(t.successRate).toBe(0.5);
    expect(t.successInterval?.low).toBeCloseTo(0.150039, 5);
    expect(t.successInterval?.high).toBeCloseTo(0.849961, 5);
    expect(t.firstTryMergeRate).toBe(0.5);
    // (0.027 + 0.051) / 2
    expect(t.costPerMergedChange).toBe(0.039);
    // T1: 60 min review wait; T2: 60 + 120 min review waits + 2 min approval → (3.6M + 10.92M) / 2
    expect(t.humanReviewMsPerMergedChange).toBe(7_260_000);
    expect(t.review).toEqual({
      reviews: 3,
      approvals: 2,
      changesRequested: 1,
      p50TurnaroundMs: 3_600_000,
      p90TurnaroundMs: 6_480_000,
      p50FirstReviewMs: 3_600_000,
      reviewedTasks: 2,
      roundsPerTask: 1.5,
      // T1 70 min, T2 3 h 19 min
      p50TimeInReviewMs: 8_070_000,
    });
  });

  it("compares with the previous period, which holds only the out-of-range run", async () => {
    const m = await getMetrics(ada, week, FIXTURE_NOW);
    expect(m.previous).toMatchObject({ runs: 1, spend: 0.15, successRate: 1, costPerMergedChange: 0.15 });
    expect(m.previous.duration.p50Ms).toBe(1_200_000);
  });

  it("groups by agent, model, repository and person", async () => {
    const byAgent = await getMetrics(ada, { ...week, groupBy: "agent" }, FIXTURE_NOW);
    const fixer = byAgent.groups.find((g) => g.label === "Fixer");
    const builder = byAgent.groups.find((g) => g.label === "Builder");
    expect(fixer).toMatchObject({
      key: ids.fixer.id,
      runs: 4,
      spend: 0.084,
      successRate: 1,
      costPerMergedChange: 0.039,
    });
    expect(fixer?.duration.p50Ms).toBe(600_000);
    expect(fixer?.verification.passRate).toBe(1);
    expect(builder).toMatchObject({
      runs: 3,
      spend: 0.4875,
      unpricedRuns: 1,
      successRate: 0,
      costPerMergedChange: null,
    });
    expect(builder?.duration.p50Ms).toBe(1_055_000);
    expect(builder?.verification.passRate).toBe(0.5);
    expect(byAgent.groups.map((g) => g.label)).toEqual(["Builder", "Fixer"]); // by spend
    // The leaderboard ranks by success rate and carries the sample size and Wilson interval.
    expect(byAgent.leaderboard.map((g) => [g.label, g.tasks.ended])).toEqual([
      ["Fixer", 2],
      ["Builder", 2],
    ]);
    expect(byAgent.leaderboard[0]?.successInterval?.low).toBeCloseTo(0.34238, 4);
    expect(byAgent.leaderboard[1]?.successInterval?.high).toBeCloseTo(0.65762, 4);

    const byModel = await getMetrics(ada, { ...week, groupBy: "model" }, FIXTURE_NOW);
    const model = (name: string) => byModel.groups.find((g) => g.key === name);
    expect(model("claude-haiku-4-5")).toMatchObject({ runs: 4, spend: 0.084, successRate: 1 });
    expect(model("claude-sonnet-4-5")).toMatchObject({ runs: 2, spend: 0.4875, successRate: 0 });
    expect(model(UNPRICED_MODEL)).toMatchObject({ runs: 1, spend: 0, unpricedRuns: 1, successRate: 0 });
    // The leaderboard stays per agent whatever the grouping.
    expect(byModel.leaderboard.map((g) => g.label)).toEqual(["Fixer", "Builder"]);

    const byRepo = await getMetrics(ada, { ...week, groupBy: "repo" }, FIXTURE_NOW);
    expect(byRepo.groups.find((g) => g.label === "api")).toMatchObject({
      runs: 3,
      spend: 0.078,
      successRate: 1,
    });
    expect(byRepo.groups.find((g) => g.label === "web")).toMatchObject({
      runs: 4,
      spend: 0.4935,
      successRate: 0,
    });

    const byPerson = await getMetrics(ada, { ...week, groupBy: "person" }, FIXTURE_NOW);
    const person = (actor: Actor) => byPerson.groups.find((g) => g.key === actor.userId);
    expect(person(ada)).toMatchObject({ label: "Ada Admin", runs: 4, spend: 0.078, unpricedRuns: 1 });
    expect(person(ada)?.successRate).toBeCloseTo(2 / 3, 10);
    expect(person(bob)).toMatchObject({ runs: 3, spend: 0.4935, successRate: 0 });
  });

  it("splits the range into UTC days for the charts", async () => {
    const m = await getMetrics(ada, week, FIXTURE_NOW);
    expect(m.daily.map((d) => d.day)).toEqual([
      "2026-11-14",
      "2026-11-15",
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
    ]);
    expect(m.daily.map((d) => [d.runs, d.spend])).toEqual([
      [0, 0],
      [1, 0.027],
      [2, 0.051],
      [1, 0.4875],
      [1, 0],
      [2, 0.006],
      [0, 0],
    ]);
    expect(m.daily.map((d) => d.successRate)).toEqual([null, 1, 1, 0, 0, null, null]);
    expect(m.daily[2]).toMatchObject({ reviews: 2, p50TurnaroundMs: 5_400_000 });
    expect(m.daily[2]?.spendByGroup).toEqual({ [ids.fixer.id]: 0.051 });
    expect(m.daily[5]).toMatchObject({ p50Ms: 600_000, p90Ms: 600_000 }); // R8 never ran
  });

  it("shows where reviews are waiting, and a custom range narrows everything", async () => {
    const m = await getMetrics(ada, week, FIXTURE_NOW);
    expect(m.openReviews).toEqual([
      {
        reviewerId: ada.userId,
        reviewerName: "Ada Admin",
        open: 1,
        oldestSince: new Date("2026-11-19T09:10:00Z"),
      },
    ]);
    const oneDay = await getMetrics(ada, { from: "2026-11-16", to: "2026-11-16" }, FIXTURE_NOW);
    expect(oneDay.total).toMatchObject({ runs: 2, spend: 0.051, successRate: 1, firstTryMergeRate: 0 });
    expect(oneDay.total.review.roundsPerTask).toBe(2);
  });

  it("is team-scoped", async () => {
    const stranger = await otherTeamMember();
    const m = await getMetrics(stranger, week, FIXTURE_NOW);
    expect([m.total.runs, m.total.spend, m.groups.length, m.openReviews.length]).toEqual([0, 0, 0, 0]);
  });
});
