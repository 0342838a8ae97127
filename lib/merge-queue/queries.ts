// What the pages show of the merge queue: a task's place in line (or why its last merge was refused), a
// repository's lines, the board's queued tasks. Every read is filtered by the actor's team.
import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { mergeQueue, OPEN_MERGE_QUEUE_STATUSES, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";

const open = [...OPEN_MERGE_QUEUE_STATUSES];

/** Each open entry's place in its line (1: landing, or next), by a window over the open entries. */
const position = sql<number>`(row_number() over (partition by ${mergeQueue.repoId}, ${mergeQueue.baseBranch} order by (${mergeQueue.status} = 'landing') desc, ${mergeQueue.enqueuedAt}, ${mergeQueue.id}))::int`;

export interface QueuedMerge {
  taskId: string;
  number: number;
  title: string;
  baseBranch: string;
  branch: string;
  status: "waiting" | "landing";
  position: number;
  enqueuedAt: string;
}

async function openEntries(actor: Actor, where: ReturnType<typeof and>): Promise<QueuedMerge[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  const rows = await db
    .select({
      taskId: mergeQueue.taskId,
      number: tasks.number,
      title: tasks.title,
      baseBranch: mergeQueue.baseBranch,
      branch: mergeQueue.branch,
      status: mergeQueue.status,
      position,
      enqueuedAt: mergeQueue.enqueuedAt,
      repoId: mergeQueue.repoId,
    })
    .from(mergeQueue)
    .innerJoin(tasks, eq(tasks.id, mergeQueue.taskId))
    .where(and(eq(mergeQueue.teamId, actor.teamId), inArray(mergeQueue.status, open), where))
    .orderBy(asc(mergeQueue.baseBranch), asc(position));
  return rows.map((r) => ({
    taskId: r.taskId,
    number: r.number,
    title: r.title,
    baseBranch: r.baseBranch,
    branch: r.branch,
    status: r.status === "landing" ? "landing" : "waiting",
    position: r.position,
    enqueuedAt: r.enqueuedAt.toISOString(),
  }));
}

/** A repository's merge queue, every base branch, each line in landing order. */
export function repoMergeQueue(actor: Actor, repoId: string): Promise<QueuedMerge[]> {
  return openEntries(actor, and(eq(mergeQueue.repoId, repoId)));
}

/** The board's queued tasks, by task id (positions are counted in each task's whole line). */
export async function queuedTasks(actor: Actor, taskIds: string[]): Promise<Map<string, QueuedMerge>> {
  if (taskIds.length === 0) return new Map();
  const db = await getDb();
  const repoIds = db
    .selectDistinct({ repoId: mergeQueue.repoId })
    .from(mergeQueue)
    .where(and(inArray(mergeQueue.taskId, taskIds), inArray(mergeQueue.status, open)));
  const entries = await openEntries(actor, and(inArray(mergeQueue.repoId, repoIds)));
  return new Map(entries.filter((e) => taskIds.includes(e.taskId)).map((e) => [e.taskId, e]));
}

export interface MergeRefusal {
  status: "refused" | "failed";
  exitCode: number | null;
  output: string;
  finishedAt: string;
}

/** The task's place in line, and its last merge refusal when that is the newest word on its merges. */
export async function taskMergeState(
  actor: Actor,
  task: { id: string; repoId: string },
): Promise<{ queued: QueuedMerge | null; refusal: MergeRefusal | null }> {
  const queued = (await queuedTasks(actor, [task.id])).get(task.id) ?? null;
  const db = await getDb();
  const [last] = await db
    .select()
    .from(mergeQueue)
    .where(and(eq(mergeQueue.teamId, actor.teamId), eq(mergeQueue.taskId, task.id)))
    .orderBy(desc(mergeQueue.enqueuedAt))
    .limit(1);
  const refusal =
    !queued && last && (last.status === "refused" || last.status === "failed")
      ? {
          status: last.status,
          exitCode: last.exitCode,
          output: last.output ?? "",
          finishedAt: (last.finishedAt ?? last.enqueuedAt).toISOString(),
        }
      : null;
  return { queued, refusal };
}
