// Merging an approved task goes through its repository and base branch's merge queue (lib/merge-queue):
// the request takes its place in line; when nothing else is landing on that base it lands at once and the
// caller gets the merge (or the conflict), otherwise it waits its turn and lands in the background.
import { getDb } from "@/db";
import type { Task } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict } from "@/lib/errors";
import { drainLine } from "@/lib/merge-queue/drain";
import { landEntry, type MergeTaskResult } from "@/lib/merge-queue/land";
import { claimNext, enqueueMerge, openEntryOf, positionOf } from "@/lib/merge-queue/queue";
import { parseInput } from "@/lib/models/parse";
import { assertBranchHasChanges } from "./branch-changes";
import { chooseLine, lockTask, refuseUnless, refuseWhileAnyRunning, repoOf } from "./load";
import { type MergeInput, mergeSchema } from "./schema";

export type { MergeTaskResult } from "@/lib/merge-queue/land";
/** Everything that follows a merge hooks here (see mark-merged.ts). */
export { markTaskMerged } from "./mark-merged";

export type MergeRequestResult =
  | MergeTaskResult
  /** position: 1 is landing (or next to), 2 waits behind one, … */
  | { status: "queued"; task: Task; position: number; entryId: string };

const ALREADY_LANDING = "This task is being merged right now.";

export async function mergeTask(
  actor: Actor,
  taskId: string,
  raw: MergeInput = {},
): Promise<MergeRequestResult> {
  authorize(actor, "tasks:merge");
  const input = parseInput(mergeSchema, raw);
  const db = await getDb();
  const checked = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    // Asking again while it waits answers where it is, rather than queuing it twice.
    const queued = await openEntryOf(tx, task.id);
    if (queued?.status === "landing") throw conflict(ALREADY_LANDING);
    if (queued)
      return { kind: "queued" as const, task, entry: queued, position: await positionOf(tx, queued) };
    refuseUnless(task, ["approved", "conflict"], "merged before it is approved");
    const { runs: taskRuns, line, approvedLine } = await chooseLine(tx, task, input.runId);
    if (approvedLine && line.branch !== approvedLine.branch) {
      throw conflict(
        `The approved branch is ${approvedLine.branch}, not ${line.branch}. Approve ${line.branch} first to merge it instead.`,
      );
    }
    refuseWhileAnyRunning(taskRuns);
    return { kind: "new" as const, task, repo: await repoOf(tx, task), run: line.latest };
  });
  if (checked.kind === "queued") {
    const { task, entry, position } = checked;
    return { status: "queued", task, position, entryId: entry.id };
  }
  const { task, repo, run } = checked;
  await assertBranchHasChanges(repo, task.baseBranch, run.branch, "merge");

  const entry = await db.transaction(async (tx) => {
    const locked = await lockTask(tx, actor, task.id);
    refuseUnless(locked, ["approved", "conflict"], "merged before it is approved");
    if (await openEntryOf(tx, task.id)) throw conflict(ALREADY_LANDING);
    return enqueueMerge(tx, {
      task: locked,
      run,
      requestedBy: actor.userId,
      verify: input.verify,
      fixOnRefusal: input.fixOnFailure,
    });
  });
  // Lands now when it heads an idle line; otherwise whoever is landing there takes it next.
  const claimed = await claimNext(entry.repoId, entry.baseBranch, { only: entry.id });
  if (claimed) {
    try {
      return await landEntry(actor, claimed);
    } finally {
      void drainLine(entry.repoId, entry.baseBranch);
    }
  }
  const position = await positionOf(db, entry);
  // Nothing landing ahead (a request that queued just before this one is about to claim): nudge the line,
  // in case that request's process is gone.
  if (position === 1) void drainLine(entry.repoId, entry.baseBranch);
  return { status: "queued", task, position, entryId: entry.id };
}
