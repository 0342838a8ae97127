// Parallel-work metrics over a hand-computed fixture (one team, tasks merged on 2026-11-19):
//   #1: 2 agents' branches, conflict predicted 09:00, merge conflicted 10:00 → predicted and it happened
//   #2: 1 branch, predicted 09:00, never conflicted                        → predicted, didn't happen
//   #3: 3 branches, not predicted, merge conflicted 10:00                  → real, not foreseen
//   #4: 1 branch, merge conflicted 10:00, predicted only after, 11:00     → neither counts as foreseen
//   #5: still open, predicted                                             → not counted (not ended)
// By hand: 4 ended; attempts 2+1+3+1 = 7 → 1.75 per task, 2 with several agents; predicted 3, of which
// happened 1; real 3, of which predicted beforehand 1.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, repositories, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { teamAdmin } from "@/lib/testing/fixtures";
import { getMetrics } from "./service";

const NOW = new Date("2026-11-20T12:00:00Z");
const at = (hour: string) => new Date(`2026-11-19T${hour}:00:00Z`);
let admin: Actor;

const TASKS: Array<{ branches: number; predicted?: Date; conflicted?: Date; open?: boolean }> = [
  { branches: 2, predicted: at("09"), conflicted: at("10") },
  { branches: 1, predicted: at("09") },
  { branches: 3, conflicted: at("10") },
  { branches: 1, predicted: at("11"), conflicted: at("10") },
  { branches: 1, predicted: at("09"), open: true },
];

beforeAll(async () => {
  admin = await teamAdmin();
  const db = await getDb();
  const [agent] = await db
    .insert(agents)
    .values({ teamId: admin.teamId, name: "Parallel", model: "claude-haiku-4-5" })
    .returning();
  const [repo] = await db
    .insert(repositories)
    .values({
      teamId: admin.teamId,
      name: "parallel",
      source: "/nonexistent/parallel",
      defaultBranch: "main",
    })
    .returning();
  if (!agent || !repo) throw new Error("fixture insert failed");
  for (const [index, spec] of TASKS.entries()) {
    const [task] = await db
      .insert(tasks)
      .values({
        teamId: admin.teamId,
        number: index + 1,
        title: `Parallel ${index + 1}`,
        prompt: "p",
        repoId: repo.id,
        agentId: agent.id,
        baseBranch: "main",
        status: spec.open ? "in_review" : "merged",
        createdAt: at("08"),
        closedAt: spec.open ? null : at("12"),
        conflictPredictedAt: spec.predicted ?? null,
        mergeConflictedAt: spec.conflicted ?? null,
      })
      .returning();
    if (!task) throw new Error("fixture insert failed");
    for (let branch = 0; branch < spec.branches; branch++) {
      // Two runs on the first branch (a follow-up): attempts count branches, not runs.
      for (let run = 0; run < (branch === 0 ? 2 : 1); run++) {
        await db.insert(runs).values({
          teamId: admin.teamId,
          taskId: task.id,
          agentId: agent.id,
          model: agent.model,
          status: "succeeded",
          outcome: "changes_ready",
          branch: `foreman/${index + 1}-attempt-${branch}`,
          queuedAt: at("08"),
          startedAt: at("08"),
          finishedAt: at("09"),
        });
      }
    }
  }
});

describe("parallel-work metrics", () => {
  it("counts attempts per ended task and how well predicted conflicts foretold the real ones", async () => {
    const { parallel } = await getMetrics(admin, { range: "7d" }, NOW);
    expect(parallel).toEqual({
      endedTasks: 4,
      attemptsPerTask: 1.75,
      multiAttemptTasks: 2,
      predictedConflicts: 3,
      predictedThatHappened: 1,
      realConflicts: 3,
      realThatWerePredicted: 1,
      judgedPromotions: 0,
      judgeFirstPickPromoted: 0,
      judgeRuns: 0,
      judgeSpendUsd: 0,
    });
  });
});
