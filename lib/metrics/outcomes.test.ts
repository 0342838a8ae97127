// Run counts follow outcomes, over a hand-computed fixture of mixed outcomes (one team, one day, one agent):
//   changes_ready ×2, verification_failed ×1, no_changes ×2, blocked ×1, needs_input ×1 (all status succeeded),
//   failed ×1, cancelled ×1 (outcome failed).
// By hand: 9 runs ended; succeeded (changes ready) 2; tests failed 1; no changes 2; blocked 1 + 1 = 2;
// failed 1; cancelled 1; run success rate 2 / 9. Counting by status would say 7 succeeded.
// Checked on the raw rows (dirty days) and again from the rollup after compaction.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, type RunOutcome, type RunStatus, repositories, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { teamAdmin } from "@/lib/testing/fixtures";
import { compactMetricsDays } from "./rollup/compact";
import { getMetrics } from "./service";

const NOW = new Date("2026-11-20T12:00:00Z");
let admin: Actor;

const MIX: Array<[RunStatus, RunOutcome]> = [
  ["succeeded", "changes_ready"],
  ["succeeded", "changes_ready"],
  ["succeeded", "verification_failed"],
  ["succeeded", "no_changes"],
  ["succeeded", "no_changes"],
  ["succeeded", "blocked"],
  ["succeeded", "needs_input"],
  ["failed", "failed"],
  ["cancelled", "failed"],
];

beforeAll(async () => {
  admin = await teamAdmin();
  const db = await getDb();
  const [agent] = await db
    .insert(agents)
    .values({ teamId: admin.teamId, name: "Mixed", model: "claude-haiku-4-5" })
    .returning();
  const [repo] = await db
    .insert(repositories)
    .values({ teamId: admin.teamId, name: "mixed", source: "/nonexistent/mixed", defaultBranch: "main" })
    .returning();
  if (!agent || !repo) throw new Error("fixture insert failed");
  for (const [index, [status, outcome]] of MIX.entries()) {
    const [task] = await db
      .insert(tasks)
      .values({
        teamId: admin.teamId,
        number: index + 1,
        title: `Mixed ${index + 1}`,
        prompt: "p",
        repoId: repo.id,
        agentId: agent.id,
        baseBranch: "main",
        status: "needs_human",
        createdAt: new Date("2026-11-19T09:00:00Z"),
      })
      .returning();
    if (!task) throw new Error("fixture insert failed");
    await db.insert(runs).values({
      teamId: admin.teamId,
      taskId: task.id,
      agentId: agent.id,
      model: agent.model,
      status,
      outcome,
      branch: `foreman/${index + 1}-mixed`,
      queuedAt: new Date("2026-11-19T09:00:00Z"),
      startedAt: new Date("2026-11-19T09:00:10Z"),
      finishedAt: new Date("2026-11-19T09:05:00Z"),
    });
  }
});

function countsOutcomesHonestly() {
  it("counts changes ready as succeeded, and no changes and blocked runs on their own, in the rate", async () => {
    const { total } = await getMetrics(admin, { range: "7d" }, NOW);
    expect({
      runs: total.runs,
      succeeded: total.succeededRuns,
      verificationFailed: total.verificationFailedRuns,
      noChanges: total.noChangeRuns,
      blocked: total.blockedRuns,
      failed: total.failedRuns,
      cancelled: total.cancelledRuns,
      ended: total.endedRuns,
    }).toEqual({
      runs: 9,
      succeeded: 2,
      verificationFailed: 1,
      noChanges: 2,
      blocked: 2,
      failed: 1,
      cancelled: 1,
      ended: 9,
    });
    expect(total.runSuccessRate).toBeCloseTo(2 / 9, 10);
  });
}

describe("run outcomes in the metrics, recomputed from the runs", () => {
  countsOutcomesHonestly();
});

describe("run outcomes in the metrics, from the compacted rollup", () => {
  beforeAll(async () => {
    expect(await compactMetricsDays(admin.teamId)).toMatchObject({ skipped: false });
  });
  countsOutcomesHonestly();
});
