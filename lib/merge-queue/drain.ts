// Working through a repository and base's line: after a merge lands, the process that landed it claims
// the next entry and lands it in that entry's requester's name, until the line is empty. A background
// sweep (started with the web server) picks up lines whose process died before it got that far.
import { getDb } from "@/db";
import type { MergeQueueEntry } from "@/db/schema";
import { loadActor } from "@/lib/auth/actor";
import { landEntry } from "./land";
import { claimNext, finishEntry, idleLines } from "./queue";

const running = new Map<string, Promise<void>>();
const SWEEP_MS = 30_000;
/** A fresh head is left to the request that queued it (it claims it at once, or waits its turn). */
const SWEEP_GRACE_MS = 10_000;

/** Lands one claimed entry in its requester's name; a requester who left the team fails it. */
async function landQueued(entry: MergeQueueEntry): Promise<void> {
  const actor = entry.requestedBy ? await loadActor(entry.requestedBy, "system", entry.teamId) : null;
  if (!actor) {
    const db = await getDb();
    await db.transaction((tx) =>
      finishEntry(tx, entry, {
        status: "failed",
        output: "The person who asked for this merge left the team.",
      }),
    );
    return;
  }
  await landEntry(actor, entry).catch((error) =>
    // The entry has ended (landEntry always ends it) and the task shows why: nobody awaits this one.
    console.error(`[merge-queue] task ${entry.taskId}:`, error instanceof Error ? error.message : error),
  );
}

/**
 * Lands the line's entries one after the other in the background, starting with `first` when the caller
 * already claimed it. One drain per line per process; the claim keeps processes from overlapping.
 */
export function drainLine(
  repoId: string,
  baseBranch: string,
  options: { first?: MergeQueueEntry; olderThan?: Date } = {},
): Promise<void> {
  const key = `${repoId}\0${baseBranch}`;
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.then(async () => {
    let entry = options.first ?? (await claimNext(repoId, baseBranch, { olderThan: options.olderThan }));
    while (entry) {
      await landQueued(entry);
      entry = await claimNext(repoId, baseBranch);
    }
  });
  const tracked = next
    .catch((error) =>
      console.error(`[merge-queue] ${baseBranch}:`, error instanceof Error ? error.message : error),
    )
    .finally(() => {
      if (running.get(key) === tracked) running.delete(key);
    });
  running.set(key, tracked);
  return tracked;
}

/** Resolves once every line this process is working through is empty (tests and shutdown wait on it). */
export async function mergeQueueIdle(): Promise<void> {
  while (running.size > 0) await Promise.all(running.values());
}

/** Started once by the web server: lands what waits in lines no process is working through. */
export function startMergeQueue(): () => void {
  const sweep = async () => {
    try {
      const before = new Date(Date.now() - SWEEP_GRACE_MS);
      for (const line of await idleLines(before)) {
        if (!running.has(`${line.repoId}\0${line.baseBranch}`)) {
          void drainLine(line.repoId, line.baseBranch, { olderThan: before });
        }
      }
    } catch (error) {
      console.error("[merge-queue] sweep:", error instanceof Error ? error.message : error);
    }
  };
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref();
  const first = setTimeout(sweep, 5_000);
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
