import "server-only";
import { and, asc, eq, inArray, min } from "drizzle-orm";
import type { Db } from "@/db";
import { agents, isAgentWorkRun, runs } from "@/db/schema";

export interface TaskAgent {
  id: string;
  name: string;
}

/**
 * Every agent working on each task, in the order they were assigned (a task assigned to several agents
 * has one run line per agent; follow-ups and re-runs keep their agent). Keyed by task id.
 */
export async function agentsOfTasks(db: Db, teamId: string, taskIds: string[]) {
  const byTask = new Map<string, TaskAgent[]>();
  if (taskIds.length === 0) return byTask;
  const first = min(runs.queuedAt);
  const rows = await db
    .select({ taskId: runs.taskId, id: agents.id, name: agents.name, first })
    .from(runs)
    .innerJoin(agents, eq(agents.id, runs.agentId))
    .where(and(eq(runs.teamId, teamId), inArray(runs.taskId, taskIds), isAgentWorkRun))
    .groupBy(runs.taskId, agents.id, agents.name)
    .orderBy(asc(first), asc(agents.name));
  for (const row of rows) {
    const list = byTask.get(row.taskId) ?? [];
    list.push({ id: row.id, name: row.name });
    byTask.set(row.taskId, list);
  }
  return byTask;
}
