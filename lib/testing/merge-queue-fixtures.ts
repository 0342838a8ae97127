// Approved tasks for merge-queue tests: a branch with one checkpointed step on real git, its run ended
// with the verification result the engine would have recorded, the task approved.
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type Agent, type Repository, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { commitStep, endRun } from "./review-fixtures";
import { insertRun } from "./run-fixtures";

export interface Line {
  repo: Repository;
  agent: Agent;
}

/** A repository (on `source`) with its first approved task; more tasks on it with `approvedTaskOn`. */
export async function approvedTask(
  actor: Actor,
  source: string,
  options: { files: Record<string, string>; testCommand?: string; verifyExitCode?: number | null },
) {
  const fixture = await insertRun(actor, { source, testCommand: options.testCommand });
  const line = { repo: fixture.repo, agent: fixture.agent };
  return { line, ...(await finish(actor, line, fixture.task, fixture.run, options)) };
}

export async function approvedTaskOn(
  actor: Actor,
  line: Line,
  options: { files: Record<string, string>; verifyExitCode?: number | null; title?: string },
) {
  const db = await getDb();
  const [{ next } = { next: 1 }] = await db
    .select({ next: sql<number>`coalesce(max(${tasks.number}), 0) + 1` })
    .from(tasks)
    .where(eq(tasks.teamId, actor.teamId));
  const [task] = await db
    .insert(tasks)
    .values({
      teamId: actor.teamId,
      number: Number(next),
      title: options.title ?? `Task ${next}`,
      prompt: "Change a file",
      repoId: line.repo.id,
      agentId: line.agent.id,
      baseBranch: line.repo.defaultBranch,
      assignedBy: actor.userId,
    })
    .returning();
  if (!task) throw new Error("fixture insert failed");
  const [run] = await db
    .insert(runs)
    .values({
      teamId: actor.teamId,
      taskId: task.id,
      agentId: line.agent.id,
      model: line.agent.model,
      branch: `foreman/${task.number}-change`,
      maxSteps: line.agent.maxSteps,
      maxCostUsd: line.agent.maxCostUsd,
      maxDurationSec: line.agent.maxDurationSec,
    })
    .returning();
  if (!run) throw new Error("fixture insert failed");
  return finish(actor, line, task, run, options);
}

async function finish(
  actor: Actor,
  line: Line,
  task: typeof tasks.$inferSelect,
  run: typeof runs.$inferSelect,
  options: { files: Record<string, string>; verifyExitCode?: number | null },
) {
  await commitStep(line.repo, run, { files: options.files });
  await endRun(run.id);
  const db = await getDb();
  await db
    .update(runs)
    .set({ verifyExitCode: options.verifyExitCode ?? null })
    .where(eq(runs.id, run.id));
  await db
    .update(tasks)
    .set({ status: "approved", approvedBy: actor.userId, approvedAt: new Date() })
    .where(eq(tasks.id, task.id));
  return { task, run };
}
