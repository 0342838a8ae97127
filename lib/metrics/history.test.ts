// The history on an agent's and a repository's page: the same numbers as the Metrics page for the same
// period (one definition of success rate, spend, durations), its latest runs, and its open tasks now.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { FIXTURE_NOW, insertMetricsFixture } from "./fixture";
import { entityHistory } from "./history";
import { resolveRange } from "./range";
import { listMetricRuns } from "./runs-list";
import { getMetrics } from "./service";

let ada: Actor;
let ids: Awaited<ReturnType<typeof insertMetricsFixture>>;
beforeAll(async () => {
  ada = await teamAdmin();
  const bob = await teamMember("developer");
  ids = await insertMetricsFixture(await getDb(), { teamId: ada.teamId, ada: ada.userId, bob: bob.userId });
});

const numbers = (m: Awaited<ReturnType<typeof entityHistory>>["metrics"]) => ({
  successRate: m.successRate,
  ended: m.tasks.ended,
  merged: m.tasks.merged,
  spend: m.spend,
  unpricedRuns: m.unpricedRuns,
  runs: m.runs,
  p50Ms: m.duration.p50Ms,
  p90Ms: m.duration.p90Ms,
  runSuccessRate: m.runSuccessRate,
});

describe("agent and repository history", () => {
  it("shows an agent the Metrics page's own numbers for the period, and its latest runs", async () => {
    const range = resolveRange({ range: "7d" }, FIXTURE_NOW);
    const metrics = await getMetrics(ada, { range: "7d", groupBy: "agent" }, FIXTURE_NOW);
    for (const agent of [ids.fixer, ids.builder]) {
      const history = await entityHistory(ada, "agent", agent.id, range);
      const row = metrics.leaderboard.find((g) => g.key === agent.id);
      expect(row).toBeDefined();
      expect(numbers(history.metrics)).toEqual(numbers(row as NonNullable<typeof row>));
      const all = await listMetricRuns(ada, { ...range, groupBy: "agent" }, { key: agent.id });
      expect(history.recent.map((r) => r.id)).toEqual(all.slice(0, 10).map((r) => r.id));
      expect(history.recent.every((r) => r.agent === agent.name)).toBe(true);
    }
    // The success rate is merged ÷ ended tasks, as the Metrics page defines it.
    const fixer = await entityHistory(ada, "agent", ids.fixer.id, range);
    expect(fixer.metrics.tasks.ended).toBeGreaterThan(0);
    expect(fixer.metrics.successRate).toBe(fixer.metrics.tasks.merged / fixer.metrics.tasks.ended);
    expect(fixer.runsHref).toContain(`key=${ids.fixer.id}`);
    expect(fixer.runsHref).toContain("group=agent");
  });

  it("shows a repository the Metrics page's numbers grouped by repository", async () => {
    const range = resolveRange({ range: "7d" }, FIXTURE_NOW);
    const metrics = await getMetrics(ada, { range: "7d", groupBy: "repo" }, FIXTURE_NOW);
    for (const repo of [ids.api, ids.web]) {
      const history = await entityHistory(ada, "repo", repo.id, range);
      const row = metrics.groups.find((g) => g.key === repo.id);
      expect(numbers(history.metrics)).toEqual(numbers(row as NonNullable<typeof row>));
      expect(history.recent.length).toBeGreaterThan(0);
      expect(history.recent.every((r) => r.repo === repo.name)).toBe(true);
    }
  });

  it("counts open tasks now, whatever the period, and tells 'never ran' from 'nothing in this period'", async () => {
    const range = resolveRange({ range: "7d" }, new Date("2020-01-10T00:00:00Z"));
    const before = await entityHistory(ada, "repo", ids.api.id, range);
    expect(before.recent).toEqual([]);
    expect(before.metrics.runs).toBe(0);
    // Runs exist, just not in this period.
    expect(before.lastRunAt).not.toBeNull();
    const db = await getDb();
    await db.insert(tasks).values({
      teamId: ada.teamId,
      number: 9_999_999,
      title: "Still open",
      prompt: "p",
      repoId: ids.api.id,
      agentId: ids.fixer.id,
      baseBranch: "main",
      status: "in_review",
    });
    expect((await entityHistory(ada, "repo", ids.api.id, range)).openTasks).toBe(before.openTasks + 1);
    const viewer = await teamMember("viewer");
    const fresh = await db
      .insert(agents)
      .values({ teamId: ada.teamId, name: "Idle", model: "claude-haiku-4-5" })
      .returning();
    const idle = await entityHistory(viewer, "agent", fresh[0]?.id as string, range);
    expect(idle).toMatchObject({ lastRunAt: null, openTasks: 0, recent: [] });
  });
});
