import "server-only";
// The history that heads an agent's or a repository's page: its recent runs and its numbers for a period.
// The numbers are the Metrics page's own, read through the same queries (runSummary, taskOutcomes,
// groupMetrics) with the agent or the repository as the group, so both pages always agree.
import { and, count, eq, inArray, max, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { isAgentWorkRun, OPEN_TASK_STATUSES, runs, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { isUuid } from "@/lib/ids";
import { groupMetrics } from "./group-metrics";
import { type MetricsRange, rangeSearch } from "./range";
import { runSummary } from "./run-summary";
import { listMetricRuns } from "./runs-list";
import { taskOutcomes } from "./task-outcomes";

export type HistoryOf = "agent" | "repo";

/** How many recent runs the page lists; the rest are one link away, on the Metrics runs page. */
export const RECENT_RUNS = 10;

/** Open tasks of an agent (any of its runs, or the task's first agent) or of a repository. */
async function openTasks(teamId: string, of: HistoryOf, id: string): Promise<number> {
  const db = await getDb();
  const owner =
    of === "repo"
      ? eq(tasks.repoId, id)
      : or(
          eq(tasks.agentId, id),
          sql`exists (select 1 from ${runs} where ${runs.taskId} = ${tasks.id} and ${runs.agentId} = ${id} and ${isAgentWorkRun})`,
        );
  const [row] = await db
    .select({ n: count() })
    .from(tasks)
    .where(and(eq(tasks.teamId, teamId), inArray(tasks.status, [...OPEN_TASK_STATUSES]), owner));
  return row?.n ?? 0;
}

/** Its latest run ever, whatever the period: tells "never ran" from "nothing in this period". */
async function lastRunAt(teamId: string, of: HistoryOf, id: string): Promise<Date | null> {
  const db = await getDb();
  const [row] = await db
    .select({ at: max(runs.queuedAt) })
    .from(runs)
    .innerJoin(tasks, eq(tasks.id, runs.taskId))
    .where(
      and(
        eq(runs.teamId, teamId),
        isAgentWorkRun,
        of === "repo" ? eq(tasks.repoId, id) : eq(runs.agentId, id),
      ),
    );
  return row?.at ?? null;
}

/**
 * An agent's or a repository's history over a period: the Metrics page's numbers for it (success rate,
 * spend, median duration …), its open tasks now, its latest runs, and the links to see more.
 */
export async function entityHistory(actor: Actor, of: HistoryOf, id: string, period: MetricsRange) {
  authorize(actor, "team:read");
  const range: MetricsRange = { ...period, groupBy: of };
  if (!isUuid(id)) throw new Error(`not an id: ${id}`);
  const grouping = { groupBy: of } as const;
  const [runRows, taskRows, recent, open, lastRun] = await Promise.all([
    runSummary(actor.teamId, range.from, range.to, grouping),
    taskOutcomes(actor.teamId, range.from, range.to, grouping),
    listMetricRuns(actor, range, { scope: "queued", key: id, limit: RECENT_RUNS }),
    openTasks(actor.teamId, of, id),
    lastRunAt(actor.teamId, of, id),
  ]);
  const metrics = groupMetrics(
    id,
    of,
    runRows.groups.find((row) => row.key === id),
    taskRows.groups.find((row) => row.key === id),
    undefined,
  );
  return {
    range,
    metrics,
    recent,
    openTasks: open,
    lastRunAt: lastRun,
    /** Every run of the period, on the Metrics runs page. */
    runsHref: `/metrics/runs?${rangeSearch(range, { key: id })}`,
    /** Its open work, on the board. */
    boardHref: `/board?${of}=${id}`,
  };
}

export type EntityHistory = Awaited<ReturnType<typeof entityHistory>>;
