// Rows for engine and event tests, inserted directly (the task/assign services come with their own tests).
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, repositories, runs, tasks, teams } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";

export async function insertRun(
  actor: Actor,
  options: {
    source?: string;
    baseBranch?: string;
    testCommand?: string;
    agent?: Partial<typeof agents.$inferInsert>;
    repo?: Partial<typeof repositories.$inferInsert>;
  } = {},
) {
  const db = await getDb();
  const suffix = Math.random().toString(36).slice(2, 8);
  const [repo] = await db
    .insert(repositories)
    .values({
      teamId: actor.teamId,
      name: `repo-${suffix}`,
      source: options.source ?? "/nonexistent",
      defaultBranch: options.baseBranch ?? "main",
      testCommand: options.testCommand ?? null,
      ...options.repo,
    })
    .returning();
  const [agent] = await db
    .insert(agents)
    .values({ teamId: actor.teamId, name: `agent-${suffix}`, model: "claude-haiku-4-5", ...options.agent })
    .returning();
  if (!repo || !agent) throw new Error("fixture insert failed");
  const [{ next } = { next: 1 }] = await db
    .select({ next: sql<number>`coalesce(max(${tasks.number}), 0) + 1` })
    .from(tasks)
    .where(sql`${tasks.teamId} = ${actor.teamId}`);
  const [task] = await db
    .insert(tasks)
    .values({
      teamId: actor.teamId,
      number: Number(next),
      title: "Fix the failing test",
      prompt: "Fix the failing test",
      repoId: repo.id,
      agentId: agent.id,
      baseBranch: repo.defaultBranch,
      assignedBy: actor.userId,
    })
    .returning();
  if (!task) throw new Error("fixture insert failed");
  const [run] = await db
    .insert(runs)
    .values({
      teamId: actor.teamId,
      taskId: task.id,
      agentId: agent.id,
      model: agent.model,
      branch: `foreman/${task.number}-fix-the-failing-test`,
      maxSteps: agent.maxSteps,
      maxCostUsd: agent.maxCostUsd,
      maxDurationSec: agent.maxDurationSec,
    })
    .returning();
  if (!run) throw new Error("fixture insert failed");
  return { repo, agent, task, run };
}

/**
 * A repository and an agent for many runs at once (load tests, benchmarks): the team's cap (Settings →
 * General) and the agent's cap raised to `runs` unless the agent says otherwise, budgets out of the way.
 */
export async function insertLoadWorkspace(
  actor: Actor,
  options: { source: string; runs: number; agent?: Partial<typeof agents.$inferInsert> },
) {
  const db = await getDb();
  await db
    .update(teams)
    .set({
      settings: sql`${teams.settings} || ${JSON.stringify({ runs: { maxConcurrentRuns: options.runs } })}::jsonb`,
    })
    .where(eq(teams.id, actor.teamId));
  const [repo] = await db
    .insert(repositories)
    .values({ teamId: actor.teamId, name: "load", source: options.source, defaultBranch: "main" })
    .returning();
  const [agent] = await db
    .insert(agents)
    .values({
      teamId: actor.teamId,
      name: "load-agent",
      model: "claude-haiku-4-5",
      maxConcurrentRuns: options.runs,
      maxDurationSec: 24 * 3600,
      maxCostUsd: 1000,
      ...options.agent,
    })
    .returning();
  if (!repo || !agent) throw new Error("fixture insert failed");
  return { repo, agent };
}
