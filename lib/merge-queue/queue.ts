// The merge queue's rows (db/schema/merge-queue.ts): entering the line, claiming its head, ending an
// entry. A claim is one short transaction under an advisory lock per repository and base, so two
// processes (or two requests in one) never start two landings on the same base; the partial unique index
// "merge_queue_one_landing" holds the same rule in the database should anything bypass the lock.
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { type Db, getDb, type Tx } from "@/db";
import {
  type MergeQueueEntry,
  mergeQueue,
  OPEN_MERGE_QUEUE_STATUSES,
  type Run,
  type Task,
} from "@/db/schema";
import { conflict } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";

const VERIFY_TIMEOUT_MS = Number(process.env.FOREMAN_VERIFY_TIMEOUT_SEC ?? 600) * 1000;
/**
 * A landing entry older than this was left by a process that died mid-merge: it goes back to the head
 * of the line (merging again is safe: the base moves only by one atomic push). Setup and tests may each
 * take the verification timeout, the git work a few minutes more.
 */
export const STALE_LANDING_MS = 2 * VERIFY_TIMEOUT_MS + 5 * 60_000;

const openStatuses = [...OPEN_MERGE_QUEUE_STATUSES];

export async function openEntryOf(db: Db | Tx, taskId: string): Promise<MergeQueueEntry | undefined> {
  const [entry] = await db
    .select()
    .from(mergeQueue)
    .where(and(eq(mergeQueue.taskId, taskId), inArray(mergeQueue.status, openStatuses)));
  return entry;
}

/** Puts the task's approved branch at the end of its repository and base's line. */
export async function enqueueMerge(
  tx: Tx,
  options: { task: Task; run: Run; requestedBy: string; verify: boolean; fixOnRefusal: boolean },
): Promise<MergeQueueEntry> {
  const { task, run } = options;
  const [entry] = await tx
    .insert(mergeQueue)
    .values({
      teamId: task.teamId,
      taskId: task.id,
      repoId: task.repoId,
      baseBranch: task.baseBranch,
      runId: run.id,
      branch: run.branch,
      requestedBy: options.requestedBy,
      verify: options.verify,
      fixOnRefusal: options.fixOnRefusal,
    })
    .returning();
  if (!entry) throw new Error("merge queue insert returned nothing");
  await notifyTeamChange(tx, { teamId: task.teamId, kind: "task", taskId: task.id });
  return entry;
}

/**
 * Claims the head of a repository and base's line for landing, unless another entry is landing there.
 * only: claim only this entry (a request lands its own merge at once, or waits its turn); olderThan:
 * only a head queued before then (the background sweep leaves a fresh one to the request that queued it).
 */
export async function claimNext(
  repoId: string,
  baseBranch: string,
  options: { only?: string; olderThan?: Date } = {},
): Promise<MergeQueueEntry | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('merge_queue'), hashtext(${`${repoId}:${baseBranch}`}))`,
    );
    const same = and(eq(mergeQueue.repoId, repoId), eq(mergeQueue.baseBranch, baseBranch));
    const [landing] = await tx
      .select()
      .from(mergeQueue)
      .where(and(same, eq(mergeQueue.status, "landing")));
    if (landing) {
      if (Date.now() - (landing.startedAt?.getTime() ?? 0) < STALE_LANDING_MS) return null;
      await tx
        .update(mergeQueue)
        .set({ status: "waiting", startedAt: null })
        .where(eq(mergeQueue.id, landing.id));
    }
    const [head] = await tx
      .select()
      .from(mergeQueue)
      .where(and(same, eq(mergeQueue.status, "waiting")))
      .orderBy(asc(mergeQueue.enqueuedAt), asc(mergeQueue.id))
      .limit(1)
      .for("update", { skipLocked: true });
    if (!head) return null;
    if (options.only && head.id !== options.only) return null;
    if (options.olderThan && head.enqueuedAt >= options.olderThan) return null;
    const [claimed] = await tx
      .update(mergeQueue)
      .set({ status: "landing", startedAt: new Date() })
      .where(eq(mergeQueue.id, head.id))
      .returning();
    await notifyTeamChange(tx, { teamId: head.teamId, kind: "task", taskId: head.taskId });
    return claimed ?? null;
  });
}

export type EntryEnd = Pick<MergeQueueEntry, "status"> &
  Partial<Pick<MergeQueueEntry, "exitCode" | "output" | "mergeSha">>;

/** Ends a landing entry, in the caller's transaction when it has one (the task's update commits with it). */
export async function finishEntry(tx: Tx, entry: MergeQueueEntry, end: EntryEnd): Promise<void> {
  await tx
    .update(mergeQueue)
    .set({ ...end, finishedAt: new Date() })
    .where(and(eq(mergeQueue.id, entry.id), eq(mergeQueue.status, "landing")));
  await notifyTeamChange(tx, { teamId: entry.teamId, kind: "task", taskId: entry.taskId });
}

/** 1 for the entry landing (or next to), 2 for the one behind it, … */
export async function positionOf(tx: Db | Tx, entry: MergeQueueEntry): Promise<number> {
  const [row] = await tx
    .select({ ahead: sql<number>`count(*)::int` })
    .from(mergeQueue)
    .where(
      and(
        eq(mergeQueue.repoId, entry.repoId),
        eq(mergeQueue.baseBranch, entry.baseBranch),
        inArray(mergeQueue.status, openStatuses),
        // Compared in the database: a JavaScript Date drops the microseconds now() stored.
        sql`(${mergeQueue.status} = 'landing' or (${mergeQueue.enqueuedAt}, ${mergeQueue.id}) < (select q.enqueued_at, q.id from merge_queue q where q.id = ${entry.id}))`,
        sql`${mergeQueue.id} <> ${entry.id}`,
      ),
    );
  return (row?.ahead ?? 0) + 1;
}

/** Lines with a head waiting and nothing landing, for the background sweep. */
export async function idleLines(before: Date): Promise<Array<{ repoId: string; baseBranch: string }>> {
  const db = await getDb();
  return db
    .selectDistinct({ repoId: mergeQueue.repoId, baseBranch: mergeQueue.baseBranch })
    .from(mergeQueue)
    .where(and(inArray(mergeQueue.status, openStatuses), lt(mergeQueue.enqueuedAt, before)));
}

/**
 * Takes a task out of its line (it was discarded while it waited); refused while it is landing, since its
 * merge may already be on its way into the base.
 */
export async function leaveQueue(tx: Tx, taskId: string, reason: string): Promise<void> {
  const entry = await openEntryOf(tx, taskId);
  if (!entry) return;
  if (entry.status === "landing") throw conflict("This task is being merged right now. Wait for it to land.");
  await tx
    .update(mergeQueue)
    .set({ status: "failed", output: reason, finishedAt: new Date() })
    .where(and(eq(mergeQueue.id, entry.id), eq(mergeQueue.status, "waiting")));
}
