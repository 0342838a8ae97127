import { and, asc, desc, eq, ilike, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { agents, isAgentWorkRun, repositories, runs, tasks, users } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { baseConflictsOf, overlapsOf } from "@/lib/conflicts/queries";
import { isUuid } from "@/lib/ids";
import { type QueuedMerge, queuedTasks } from "@/lib/merge-queue/queries";
import { type BoardCard, type BoardFilters, type BoardTask, closedLimit } from "./board-columns";
import { dependenciesOf, waitingOnOf } from "./dependency-queries";

export type { BoardTask } from "./board-columns";

const BOARD_LIMIT = 500;

function idFilter(column: Parameters<typeof eq>[0], value: string | undefined): SQL | undefined {
  if (!value) return undefined;
  return isUuid(value) ? eq(column, value) : sql`false`;
}

/** The task number a search asks for ("#123" or "123"), if it is one. */
function searchedNumber(q: string | undefined): number | null {
  const number = q ? /^#?(\d{1,9})$/.exec(q.trim()) : null;
  return number ? Number(number[1]) : null;
}

function textFilter(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const number = searchedNumber(q);
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return number !== null ? or(eq(tasks.number, number), ilike(tasks.title, like)) : ilike(tasks.title, like);
}

/**
 * Which tasks a view holds. The columns: every task but the discarded ones — unless the search names a
 * task by its number, which finds it whatever its state. Closed: merged and discarded tasks.
 */
function stateFilter(filters: BoardFilters): SQL | undefined {
  if (filters.state === "closed") return inArray(tasks.status, ["merged", "discarded"]);
  const number = searchedNumber(filters.q);
  return number !== null
    ? or(ne(tasks.status, "discarded"), eq(tasks.number, number))
    : ne(tasks.status, "discarded");
}

/**
 * The board's tasks (most recently active first; in the Closed view, most recently closed first) with one card per run branch: a task assigned to
 * several agents shows each agent's run. Dates are ISO strings: the same shape goes into the page's
 * prefetched cache and out of the JSON route.
 */
export async function listBoardTasks(actor: Actor, filters: BoardFilters = {}): Promise<BoardTask[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  const assigner = alias(users, "assigner");
  const reviewer = alias(users, "reviewer");
  const agentFilter = filters.agent
    ? isUuid(filters.agent)
      ? or(
          eq(tasks.agentId, filters.agent),
          sql`exists (select 1 from ${runs} where ${runs.taskId} = ${tasks.id} and ${runs.agentId} = ${filters.agent} and ${isAgentWorkRun})`,
        )
      : sql`false`
    : undefined;
  const rows = await db
    .select({
      id: tasks.id,
      number: tasks.number,
      title: tasks.title,
      status: tasks.status,
      repoId: tasks.repoId,
      repoName: repositories.name,
      baseBranch: tasks.baseBranch,
      assignerId: assigner.id,
      assignerName: assigner.name,
      reviewerId: reviewer.id,
      reviewerName: reviewer.name,
      createdAt: tasks.createdAt,
      updatedAt: tasks.updatedAt,
      closedAt: tasks.closedAt,
    })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .leftJoin(assigner, eq(assigner.id, tasks.assignedBy))
    .leftJoin(reviewer, eq(reviewer.id, tasks.reviewerId))
    .where(
      and(
        eq(tasks.teamId, actor.teamId),
        stateFilter(filters),
        idFilter(tasks.repoId, filters.repo),
        idFilter(tasks.assignedBy, filters.assigner),
        idFilter(tasks.reviewerId, filters.reviewer),
        agentFilter,
        textFilter(filters.q),
      ),
    )
    .orderBy(
      // Closed: newest closed first (a task merged before closedAt existed falls back to its last change).
      ...(filters.state === "closed"
        ? [desc(sql`coalesce(${tasks.closedAt}, ${tasks.updatedAt})`), desc(tasks.number)]
        : [desc(tasks.updatedAt), desc(tasks.number)]),
    )
    .limit(filters.state === "closed" ? closedLimit(filters) : BOARD_LIMIT);
  if (rows.length === 0) return [];

  const taskRuns = await db
    .select({
      id: runs.id,
      taskId: runs.taskId,
      agentId: runs.agentId,
      agentName: agents.name,
      status: runs.status,
      outcome: runs.outcome,
      outcomeReason: runs.outcomeReason,
      stopReason: runs.stopReason,
      branch: runs.branch,
      costUsd: runs.costUsd,
      unpriced: runs.unpriced,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      verifyExitCode: runs.verifyExitCode,
      sandbox: runs.sandbox,
    })
    .from(runs)
    .innerJoin(agents, eq(agents.id, runs.agentId))
    .where(
      and(
        eq(runs.teamId, actor.teamId),
        inArray(
          runs.taskId,
          rows.map((r) => r.id),
        ),
        isAgentWorkRun,
      ),
    )
    // Runs queued together (one task, several agents) share queuedAt: the first agent's plain branch
    // name sorts before the suffixed ones, so its card comes first every time.
    .orderBy(asc(runs.queuedAt), asc(runs.branch));

  // Runs in queue order: the last run seen on a branch is its current one; costs add up per branch.
  const cardsByTask = new Map<string, Map<string, BoardCard>>();
  for (const run of taskRuns) {
    let branches = cardsByTask.get(run.taskId);
    if (!branches) {
      branches = new Map();
      cardsByTask.set(run.taskId, branches);
    }
    const previous = branches.get(run.branch);
    branches.set(run.branch, {
      runId: run.id,
      agentId: run.agentId,
      agentName: run.agentName,
      status: run.status,
      outcome: run.outcome,
      outcomeReason: run.outcomeReason,
      stopReason: run.stopReason,
      branch: run.branch,
      costUsd: Math.round(((previous?.costUsd ?? 0) + run.costUsd) * 1e6) / 1e6,
      unpriced: Boolean(previous?.unpriced) || run.unpriced,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      verify: run.verifyExitCode === null ? "none" : run.verifyExitCode === 0 ? "pass" : "fail",
      unsandboxed: Boolean(previous?.unsandboxed) || run.sandbox?.mode === "off",
    });
  }

  const ids = rows.map((r) => r.id);
  const [overlaps, baseConflicts, dependencies, queued] = await Promise.all([
    overlapsOf(actor, ids),
    baseConflictsOf(actor, ids),
    dependenciesOf(db, actor.teamId, ids),
    queuedTasks(actor, ids),
  ]);
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    title: row.title,
    status: row.status,
    repoId: row.repoId,
    repoName: row.repoName,
    assignedBy: row.assignerId ? { id: row.assignerId, name: row.assignerName ?? "" } : null,
    reviewer: row.reviewerId ? { id: row.reviewerId, name: row.reviewerName ?? "" } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    cards: [...(cardsByTask.get(row.id)?.values() ?? [])],
    baseConflict: baseConflicts.has(row.id)
      ? { baseBranch: row.baseBranch, files: baseConflicts.get(row.id) ?? [] }
      : null,
    overlaps: (overlaps.get(row.id) ?? []).map(({ taskId, number, files, conflict }) => ({
      taskId,
      number,
      files,
      conflict,
    })),
    waitingOn: waitingOnOf(row, dependencies.get(row.id)),
    mergeQueue: mergeQueueOf(queued.get(row.id)),
  }));
}

function mergeQueueOf(entry: QueuedMerge | undefined): BoardTask["mergeQueue"] {
  return entry ? { status: entry.status, position: entry.position, baseBranch: entry.baseBranch } : null;
}
