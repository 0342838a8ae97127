// Every metric over the fixture in ./fixture.ts, against numbers worked out by hand (see the comments there).
// Range: 7 days ending 2026-11-20 (UTC), i.e. [2026-11-14, 2026-11-21); the previous period is the 7 days before.
// The same assertions run twice: first with every day still marked dirty (recomputed from the raw rows), then
// after compaction (read from the rollup tables).
//
// Runs queued in the range (wall = queued → finished, for runs that started):
//   R1  T1 haiku  15th  10 min    $0.027   R6  T5 haiku  19th  10 min  $0.006
//   R2  T2 haiku  16th  21 min    $0.04    R8  T7 sonnet 19th  never ran (cancelled in the queue)  $0
//   R3  T2 haiku  16th  10 min    $0.011   R9  T8 sonnet 18th  4 min   $0.09 (cancelled mid-run)
//   R4  T3 sonnet 17th  5 min 10 s $0.4875 R10 T9 haiku  19th  20 min  $0.015
//   R5  T4 acme   18th  30 min    unpriced R11 T9 acme   19th  30 min  unpriced
// Tasks that ended in the range: T1, T2, T9 merged; T3 failed; T4 discarded; T8 cancelled after it started.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import type { Actor } from "@/lib/auth/permissions";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { FIXTURE_NOW, insertMetricsFixture, UNPRICED_MODEL } from "./fixture";
import { resolveRange } from "./range";
import { compactMetricsDays } from "./rollup/compact";
import { listMetricRuns } from "./runs-list";
import { getMetrics } from "./service";

let ada: Actor;
let bob: Actor;
let ids: Awaited<ReturnType<typeof insertMetricsFixture>>;
const week = { range: "7d" as const };
const HAIKU = "claude-haiku-4-5";
const SONNET = "claude-sonnet-4-5";

beforeAll(async () => {
  ada = await teamAdmin();
  bob = await teamMember("developer");
  ids = await insertMetricsFixture(await getDb(), { teamId: ada.teamId, ada: ada.userId, bob: bob.userId });
});

async function rollupState() {
  const db = await getDb();
  const [row] = rowsOf<{ dirty: number; rolled: number }>(
    await db.execute(sql`select (select count(*) from metrics_dirty_days where team_id = ${ada.teamId})::int as dirty,
      (select count(*) from metrics_run_days where team_id = ${ada.teamId})::int as rolled`),
  );
  return row;
}

function metricsOverTheFixture() {
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

  it("computes team totals: spend with cache tokens and unpriced runs, durations, outcomes, reviews", async () => {
    const m = await getMetrics(bob, week, FIXTURE_NOW);
    const t = m.total;
    // R1–R6 and R8–R11; R7 (T6) was queued the week before.
    expect(t.runs).toBe(10);
    expect([t.succeededRuns, t.failedRuns, t.cancelledRuns, t.finishedRuns]).toEqual([7, 1, 2, 9]);
    // Every fixture run that succeeded changed files with passing tests: 7 changes ready of 10 ended runs.
    expect([t.noChangeRuns, t.blockedRuns, t.verificationFailedRuns, t.endedRuns]).toEqual([0, 0, 0, 10]);
    expect(t.runSuccessRate).toBeCloseTo(0.7, 10);
    // 0.027 + 0.04 + 0.011 + 0.4875 + 0 + 0.006 + 0 + 0.09 + 0.015 + 0
    expect(t.spend).toBe(0.6765);
    // R5 and R11: their tokens count, their cost is unknown.
    expect(t.unpricedRuns).toBe(2);
    expect(t.tokens).toEqual({ input: 246_000, output: 29_000, cacheWrite: 14_000, cacheRead: 30_000 });
    // Wall times of the 9 runs that ran: 240k, 310k, 600k ×3, 1 200k, 1 260k, 1 800k ×2 ms.
    expect(t.duration.p50Ms).toBe(600_000);
    expect(t.duration.p90Ms).toBe(1_800_000);
    expect(t.duration.avgQueueMs).toBeCloseTo(120_000 / 9, 6); // 30 + 60 + 10 + 20 s
    expect(t.duration.avgModelMs).toBeCloseTo(3_900_000 / 9, 6);
    expect(t.duration.avgToolMs).toBeCloseTo(2_290_000 / 9, 6);
    expect(t.duration.avgHumanMs).toBeCloseTo(120_000 / 9, 6); // R2's 2 min approval
    // Verified: every run but the cancelled R8 and R9; R4 failed its tests.
    expect(t.verification).toEqual({ verified: 8, passed: 7, passRate: 7 / 8 });
    // T7 was cancelled before its run started: not an outcome. T8 was cancelled mid-run: it is one.
    expect(t.tasks).toEqual({
      ended: 6,
      merged: 3,
      discarded: 1,
      failed: 1,
      cancelled: 1,
      mergedFirstTry: 1,
    });
    expect(t.successRate).toBe(0.5);
    expect(t.successInterval?.low).toBeCloseTo(0.187616, 5);
    expect(t.successInterval?.high).toBeCloseTo(0.812384, 5);
    expect(t.firstTryMergeRate).toBeCloseTo(1 / 3, 10);
    // (0.027 + 0.051 + 0.015) / 3, flagged: T9's R11 has no price.
    expect(t.costPerMergedChange).toBe(0.031);
    expect(t.mergedWithUnpricedRuns).toBe(1);
    // T1 60 min review wait; T2 60 + 120 min + 2 min approval; T9 40 + 60 min → (3.6M + 10.92M + 6M) / 3
    expect(t.humanReviewMsPerMergedChange).toBe(6_840_000);
    expect(t.review).toEqual({
      reviews: 5,
      approvals: 3,
      changesRequested: 2,
      // Turnarounds 2.4M, 3.6M ×3, 7.2M: p90 = 3.6M + 0.6 × 3.6M.
      p50TurnaroundMs: 3_600_000,
      p90TurnaroundMs: 5_760_000,
      // First reviews: T1 60 min, T2 60 min, T9 40 min.
      p50FirstReviewMs: 3_600_000,
      reviewedTasks: 3,
      roundsPerTask: 5 / 3,
      // T1 70 min, T9 2 h 40 min, T2 3 h 19 min.
      p50TimeInReviewMs: 9_600_000,
    });
  });

  it("compares with the previous period, reviews included: it holds only T6", async () => {
    const m = await getMetrics(ada, week, FIXTURE_NOW);
    expect(m.previous).toMatchObject({ runs: 1, spend: 0.15, successRate: 1, costPerMergedChange: 0.15 });
    expect(m.previous.duration.p50Ms).toBe(1_200_000);
    expect(m.previous.humanReviewMsPerMergedChange).toBe(2_400_000);
    expect(m.previous.review).toEqual({
      reviews: 1,
      approvals: 1,
      changesRequested: 0,
      p50TurnaroundMs: 2_400_000,
      p90TurnaroundMs: 2_400_000,
      p50FirstReviewMs: 2_400_000,
      reviewedTasks: 1,
      roundsPerTask: 1,
      p50TimeInReviewMs: 6_000_000,
    });
  });

  it("groups by agent, model, repository and person", async () => {
    const byAgent = await getMetrics(ada, { ...week, groupBy: "agent" }, FIXTURE_NOW);
    const fixer = byAgent.groups.find((g) => g.label === "Fixer");
    const builder = byAgent.groups.find((g) => g.label === "Builder");
    expect(fixer).toMatchObject({
      key: ids.fixer.id,
      runs: 6,
      spend: 0.099,
      unpricedRuns: 1,
      successRate: 1,
      costPerMergedChange: 0.031,
      mergedWithUnpricedRuns: 1,
    });
    // 600k ×3, 1 200k, 1 260k, 1 800k
    expect(fixer?.duration.p50Ms).toBe(900_000);
    expect(fixer?.verification.passRate).toBe(1);
    expect(builder).toMatchObject({
      runs: 4,
      spend: 0.5775,
      unpricedRuns: 1,
      successRate: 0,
      costPerMergedChange: null,
    });
    expect(builder?.tasks).toMatchObject({ ended: 3, failed: 1, discarded: 1, cancelled: 1 });
    expect(builder?.duration.p50Ms).toBe(310_000); // 240k, 310k, 1 800k
    expect(builder?.verification.passRate).toBe(0.5);
    expect(byAgent.groups.map((g) => g.label)).toEqual(["Builder", "Fixer"]); // by spend
    // The leaderboard ranks by success rate and carries the sample size and Wilson interval.
    expect(byAgent.leaderboard.map((g) => [g.label, g.tasks.ended])).toEqual([
      ["Fixer", 3],
      ["Builder", 3],
    ]);
    expect(byAgent.leaderboard[0]?.successInterval?.low).toBeCloseTo(0.438503, 5);
    expect(byAgent.leaderboard[1]?.successInterval?.high).toBeCloseTo(0.561497, 5);

    // By model: a run under its own model, a task under its latest run's (T9 under acme-coder-1).
    const byModel = await getMetrics(ada, { ...week, groupBy: "model" }, FIXTURE_NOW);
    const model = (name: string) => byModel.groups.find((g) => g.key === name);
    expect(model(HAIKU)).toMatchObject({ runs: 5, spend: 0.099, successRate: 1, costPerMergedChange: 0.039 });
    expect(model(SONNET)).toMatchObject({ runs: 3, spend: 0.5775, successRate: 0 });
    expect(model(UNPRICED_MODEL)).toMatchObject({
      runs: 2,
      spend: 0,
      unpricedRuns: 2,
      successRate: 0.5,
      costPerMergedChange: 0.015,
      mergedWithUnpricedRuns: 1,
    });
    // The leaderboard stays per agent whatever the grouping.
    expect(byModel.leaderboard.map((g) => g.label)).toEqual(["Fixer", "Builder"]);

    const byRepo = await getMetrics(ada, { ...week, groupBy: "repo" }, FIXTURE_NOW);
    expect(byRepo.groups.find((g) => g.label === "api")).toMatchObject({ runs: 4, spend: 0.168 });
    expect(byRepo.groups.find((g) => g.label === "api")?.successRate).toBeCloseTo(2 / 3, 10);
    expect(byRepo.groups.find((g) => g.label === "web")).toMatchObject({ runs: 6, spend: 0.5085 });
    expect(byRepo.groups.find((g) => g.label === "web")?.successRate).toBeCloseTo(1 / 3, 10);

    const byPerson = await getMetrics(ada, { ...week, groupBy: "person" }, FIXTURE_NOW);
    const person = (actor: Actor) => byPerson.groups.find((g) => g.key === actor.userId);
    expect(person(ada)).toMatchObject({
      label: "Ada Admin",
      runs: 6,
      spend: 0.093,
      unpricedRuns: 2,
      successRate: 0.75,
    });
    expect(person(bob)).toMatchObject({ runs: 4, spend: 0.5835, successRate: 0 });
  });

  it("lists the runs behind a group's numbers with the group's own key (a task's model is its latest run's)", async () => {
    const range = resolveRange({ ...week, groupBy: "model" }, FIXTURE_NOW);
    const group = (await getMetrics(ada, { ...week, groupBy: "model" }, FIXTURE_NOW)).groups.find(
      (g) => g.key === UNPRICED_MODEL,
    );
    // Runs queued under acme-coder-1: R5 and R11, adding up to the group's runs and spend.
    const queued = await listMetricRuns(ada, range, { key: UNPRICED_MODEL });
    expect(queued.map((r) => r.model)).toEqual([UNPRICED_MODEL, UNPRICED_MODEL]);
    expect(queued).toHaveLength(group?.runs ?? -1);
    // Behind its cost per merged change: every run of T9 (whose latest run is acme-coder-1), haiku's included.
    const merged = await listMetricRuns(ada, range, { scope: "merged", key: UNPRICED_MODEL });
    expect(merged.map((r) => r.model)).toEqual([UNPRICED_MODEL, HAIKU]);
    expect(new Set(merged.map((r) => r.task_id)).size).toBe(group?.tasks.merged);
    expect(merged.reduce((sum, r) => sum + r.cost_usd, 0)).toBeCloseTo(group?.costPerMergedChange ?? -1, 10);
    // Behind its success rate: the runs of T4 and T9, the two tasks that ended under it.
    const ended = await listMetricRuns(ada, range, { scope: "ended", key: UNPRICED_MODEL });
    expect(new Set(ended.map((r) => r.task_title))).toEqual(
      new Set(["Unpriced and discarded", "Merged with an unpriced run"]),
    );
  });

  it("splits the range into UTC days for the charts; a task ends when its last run did", async () => {
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
      [2, 0.09],
      [4, 0.021],
      [0, 0],
    ]);
    // T3 ended on the 17th and T8 on the 18th, though both were edited later (19th, 20th).
    expect(m.daily.map((d) => [d.tasksEnded, d.tasksMerged])).toEqual([
      [0, 0],
      [1, 1],
      [1, 1],
      [1, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ]);
    expect(m.daily.map((d) => d.successRate)).toEqual([null, 1, 1, 0, 0, 1, null]);
    expect(m.daily[2]).toMatchObject({ reviews: 2, p50TurnaroundMs: 5_400_000 });
    expect(m.daily[5]).toMatchObject({ reviews: 2, p50TurnaroundMs: 3_000_000 });
    expect(m.daily[2]?.spendByGroup).toEqual({ [ids.fixer.id]: 0.051 });
    // R6, R10, R11 (R8 never ran)
    expect(m.daily[5]).toMatchObject({ p50Ms: 1_200_000, p90Ms: 1_680_000 });
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
}

describe("metrics over the hand-computed fixture, recomputed from the raw rows (every day dirty)", () => {
  it("has nothing compacted yet", async () => {
    expect(await rollupState()).toMatchObject({ rolled: 0 });
    expect((await rollupState())?.dirty).toBeGreaterThan(0);
  });
  metricsOverTheFixture();
});

describe("metrics over the hand-computed fixture, read from the compacted rollup", () => {
  beforeAll(async () => {
    expect(await compactMetricsDays(ada.teamId)).toMatchObject({ skipped: false });
  });
  it("has every day of the fixture compacted", async () => {
    expect(await rollupState()).toMatchObject({ dirty: 0 });
    expect((await rollupState())?.rolled).toBeGreaterThan(0);
  });
  metricsOverTheFixture();
});
