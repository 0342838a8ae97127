import { desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { agents, repositories, runs, tasks, users } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";

/** The board's rows: each task with its agent, repository, who assigned it and its latest run. */
export async function listBoardTasks(actor: Actor) {
  authorize(actor, "team:read");
  const db = await getDb();
  const assigner = alias(users, "assigner");
  const rows = await db
    .select({
      id: tasks.id,
      number: tasks.number,
      title: tasks.title,
      status: tasks.status,
      createdAt: tasks.createdAt,
      updatedAt: tasks.updatedAt,
      agentName: agents.name,
      repoName: repositories.name,
      assignedByName: assigner.name,
    })
    .from(tasks)
    .innerJoin(agents, eq(agents.id, tasks.agentId))
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .leftJoin(assigner, eq(assigner.id, tasks.assignedBy))
    .where(eq(tasks.teamId, actor.teamId))
    .orderBy(desc(tasks.updatedAt), desc(tasks.number))
    .limit(500);
  const latest = await db
    .selectDistinctOn([runs.taskId], {
      taskId: runs.taskId,
      id: runs.id,
      status: runs.status,
      costUsd: runs.costUsd,
      unpriced: runs.unpriced,
    })
    .from(runs)
    .where(eq(runs.teamId, actor.teamId))
    .orderBy(runs.taskId, desc(runs.queuedAt));
  const byTask = new Map(latest.map((run) => [run.taskId, run]));
  return rows.map((row) => ({ ...row, latestRun: byTask.get(row.id) ?? null }));
}

export type BoardTask = Awaited<ReturnType<typeof listBoardTasks>>[number];
