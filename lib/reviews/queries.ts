// What the review page reads: the diff (whole, or since the last review), the comments and reviews,
// the run's outcome beside it, and which step wrote a given line.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { repositories, reviews, runEvents, runs, tasks, users } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import {
  type BranchDiff,
  blameLines,
  branchDiff,
  diffCommits,
  diffFromMergeBase,
  readyClone,
  resolveBranch,
} from "@/lib/git/diff";
import { git } from "@/lib/git/worktree";
import { isUuid } from "@/lib/ids";
import { listComments } from "./comments";

async function loadTask(actor: Actor, taskId: string) {
  authorize(actor, "team:read");
  if (!isUuid(taskId)) throw notFound("Task");
  const db = await getDb();
  const [row] = await db
    .select({ task: tasks, repo: repositories })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .where(and(eq(tasks.id, taskId), eq(tasks.teamId, actor.teamId)));
  if (!row) throw notFound("Task");
  const taskRuns = await db
    .select()
    .from(runs)
    .where(eq(runs.taskId, row.task.id))
    .orderBy(desc(runs.queuedAt), desc(runs.id));
  return { ...row, runs: taskRuns };
}

/** Checkpoint commits of the task's runs: sha → the run and step that made it, and where it sits. */
async function checkpoints(runIds: string[]) {
  if (runIds.length === 0) return [];
  const db = await getDb();
  const rows = await db
    .select({ runId: runEvents.runId, seq: runEvents.seq, payload: runEvents.payload })
    .from(runEvents)
    .where(and(inArray(runEvents.runId, runIds), eq(runEvents.type, "checkpoint")))
    .orderBy(asc(runEvents.createdAt), asc(runEvents.seq));
  return rows.map((r) => ({
    runId: r.runId,
    seq: r.seq,
    step: Number(r.payload.step),
    sha: String(r.payload.sha),
  }));
}

export type ReviewSince = "all" | "last_review";

export async function getReview(actor: Actor, taskId: string, options: { since?: ReviewSince } = {}) {
  const { task, repo, runs: taskRuns } = await loadTask(actor, taskId);
  const db = await getDb();
  const run = taskRuns[0] ?? null;
  const [comments, reviewRows, finished] = await Promise.all([
    listComments(actor, task.id),
    db
      .select({ review: reviews, reviewerName: users.name })
      .from(reviews)
      .leftJoin(users, eq(users.id, reviews.reviewerId))
      .where(eq(reviews.taskId, task.id))
      .orderBy(desc(reviews.createdAt)),
    run
      ? db
          .select({ payload: runEvents.payload })
          .from(runEvents)
          .where(and(eq(runEvents.runId, run.id), eq(runEvents.type, "run_finished")))
          .orderBy(desc(runEvents.seq))
          .limit(1)
      : Promise.resolve([]),
  ]);
  const lastReview = reviewRows[0]?.review ?? null;

  let diff: BranchDiff | null = null;
  let diffError: string | null = null;
  let since: ReviewSince = "all";
  try {
    if (task.mergeSha) {
      // Merged: the branch is gone; the merge commit against its first parent is the change.
      const clone = await readyClone(repo);
      diff = await diffCommits(clone, `${task.mergeSha}^1`, task.mergeSha);
    } else if (run) {
      diff = await branchDiff(repo, { baseBranch: task.baseBranch, branch: run.branch });
      if (options.since === "last_review" && lastReview) {
        // The branch head when the last review was made: the newest checkpoint up to the reviewed run.
        const reviewed = taskRuns.find((r) => r.id === lastReview.runId);
        const upTo = taskRuns.filter((r) => !reviewed || r.queuedAt <= reviewed.queuedAt).map((r) => r.id);
        const reviewedHead = (await checkpoints(upTo)).at(-1)?.sha;
        const clone = await readyClone(repo);
        diff = await diffCommits(clone, reviewedHead ?? diff.fromSha, diff.toSha);
        since = "last_review";
      }
    }
  } catch (error) {
    diffError = error instanceof Error ? error.message : String(error);
  }

  const summary = finished[0]?.payload.summary;
  return {
    task,
    repo: {
      id: repo.id,
      name: repo.name,
      mergeStrategy: repo.mergeStrategy,
      testCommand: repo.testCommand,
    },
    run,
    runs: taskRuns,
    diff,
    diffError,
    since,
    comments,
    reviews: reviewRows.map((r) => ({ ...r.review, reviewerName: r.reviewerName ?? "Former member" })),
    lastReview,
    summary: typeof summary === "string" ? summary : null,
    totalCostUsd: taskRuns.reduce((sum, r) => sum + r.costUsd, 0),
  };
}

export type ReviewData = Awaited<ReturnType<typeof getReview>>;

export interface LineProvenance {
  sha: string;
  /** The run and step whose checkpoint commit wrote the line; null when it predates the task. */
  runId: string | null;
  step: number | null;
  /** The checkpoint event's sequence number: the anchor of that step on the run's page. */
  seq: number | null;
  author: string | null;
  date: string | null;
}

/** Which step of which run wrote a line of the branch, from `git blame` and the checkpoint events. */
export async function lineProvenance(
  actor: Actor,
  taskId: string,
  input: { path: string; line: number },
): Promise<LineProvenance | null> {
  const { task, repo, runs: taskRuns } = await loadTask(actor, taskId);
  const run = taskRuns[0];
  if (!run || !Number.isInteger(input.line) || input.line < 1) return null;
  const clone = await readyClone(repo);
  const head = task.mergeSha ?? (await resolveBranch(clone, run.branch));
  if (!head) return null;
  const blamed = await blameLines(repo, {
    ref: head,
    path: input.path,
    start: input.line,
    end: input.line,
  }).catch(() => []);
  const sha = blamed[0]?.sha;
  if (!sha) return null;
  const made = (await checkpoints(taskRuns.map((r) => r.id))).find((c) => c.sha === sha);
  const info = await git(["show", "-s", "--format=%an%x00%aI", sha], { cwd: clone }).then(
    (r) => r.stdout.trim().split("\0"),
    () => [],
  );
  return {
    sha,
    runId: made?.runId ?? null,
    step: made?.step ?? null,
    seq: made?.seq ?? null,
    author: info[0] ?? null,
    date: info[1] ?? null,
  };
}

/**
 * The diff one run left: its branch as of the run's last checkpoint (or an earlier run's) against the
 * base it would merge into. After a merge, against the base as it was before the merge.
 */
export async function runDiff(actor: Actor, runId: string): Promise<BranchDiff> {
  authorize(actor, "team:read");
  if (!isUuid(runId)) throw notFound("Run");
  const db = await getDb();
  const [run] = await db
    .select({ id: runs.id, taskId: runs.taskId, branch: runs.branch })
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.teamId, actor.teamId)));
  if (!run) throw notFound("Run");
  const { task, repo, runs: taskRuns } = await loadTask(actor, run.taskId);
  const self = taskRuns.find((r) => r.id === run.id);
  const upTo = taskRuns.filter((r) => self && r.queuedAt <= self.queuedAt).map((r) => r.id);
  const clone = await readyClone(repo);
  const head = (await checkpoints(upTo)).at(-1)?.sha ?? (await resolveBranch(clone, run.branch));
  if (!head) throw conflict("This run has no changes yet: its branch doesn't exist.");
  const base = task.mergeSha ? `${task.mergeSha}^1` : await resolveBranch(clone, task.baseBranch);
  if (!base) throw conflict(`The base branch '${task.baseBranch}' no longer exists in the repository.`);
  return diffFromMergeBase(clone, base, head);
}
