// What the review page reads: the diff (whole, or since the last review), the comments and reviews,
// the run's outcome beside it, and which step wrote a given line.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, repositories, reviews, runEvents, runs, tasks, users } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { archivedBranchHead } from "@/lib/git/branches";
import {
  type BranchDiff,
  blameLines,
  branchDiff,
  diffCommits,
  diffFromMergeBase,
  readyClone,
  resolveBranch,
} from "@/lib/git/diff";
import { git } from "@/lib/git/runner";
import { diffSinceReviewed } from "@/lib/git/since";
import { isUuid } from "@/lib/ids";
import { discardedRetentionDays, keptUntil } from "@/lib/tasks/archive";
import { listComments } from "./comments";
import { defaultLine, lineOfRun, type RunLine } from "./lines";
import { loadLines } from "./load";
import { threadComments } from "./threads";

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
  return { ...row, ...(await loadLines(db, row.task)) };
}

/** The line of work to show: the one holding `runId` (any run of it), else the default one. */
function pickLine(
  loaded: Awaited<ReturnType<typeof loadTask>>,
  runId: string | undefined,
): RunLine | undefined {
  const named = runId && isUuid(runId) ? lineOfRun(loaded.lines, runId) : undefined;
  return named ?? defaultLine(loaded.lines, loaded.task, loaded.approvedRunId);
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

/** What the run's verification recorded: a timeout leaves no exit code, only this event says so. */
async function verificationOf(runId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ payload: runEvents.payload })
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), eq(runEvents.type, "verification")))
    .orderBy(desc(runEvents.seq))
    .limit(1);
  return row ? { timedOut: row.payload.timedOut === true } : null;
}

export async function getReview(
  actor: Actor,
  taskId: string,
  options: { since?: ReviewSince; runId?: string } = {},
) {
  const loaded = await loadTask(actor, taskId);
  const { task, repo, runs: taskRuns } = loaded;
  const db = await getDb();
  const line = pickLine(loaded, options.runId);
  const run = line?.latest ?? null;
  const lineRunIds = line?.runs.map((r) => r.id) ?? [];
  const [comments, reviewRows, finished, verification, agentRows] = await Promise.all([
    listComments(actor, task.id, { runIds: lineRunIds }),
    db
      .select({ review: reviews, reviewerName: users.name, branch: runs.branch })
      .from(reviews)
      .leftJoin(users, eq(users.id, reviews.reviewerId))
      .leftJoin(runs, eq(runs.id, reviews.runId))
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
    run ? verificationOf(run.id) : Promise.resolve(null),
    db
      .select({ id: agents.id, name: agents.name })
      .from(agents)
      .where(inArray(agents.id, [...new Set(taskRuns.map((r) => r.agentId))].concat(task.agentId))),
  ]);
  // The last review of this line: what "since last review" compares against.
  const lineReviews = reviewRows.filter((r) => !r.branch || r.branch === line?.branch);
  const lastReview = lineReviews[0]?.review ?? null;
  const mergedHere = Boolean(task.mergeSha) && (!task.mergedBranch || task.mergedBranch === line?.branch);

  let diff: BranchDiff | null = null;
  let diffError: string | null = null;
  /** The whole branch against its base holds a change: without one there is nothing to approve or merge. */
  let hasChanges = false;
  let since: ReviewSince = "all";
  /** The commit the shown files end at: comments are anchored in its files. */
  let headSha: string | null = null;
  /**
   * Closed work read from its archive (a discarded task, or an attempt closed by a promotion: closedBy
   * names the promoted branch): until when it stays readable (null: forever).
   */
  let archived: { keptUntil: Date | null; closedBy: string | null } | null = null;
  /** Why there is no diff, when that is not a fault: closed work's archive expired or was never kept. */
  let diffGone: string | null = null;
  try {
    const closedBy =
      task.promotedBranch && line && line.branch !== task.promotedBranch && !mergedHere
        ? task.promotedBranch
        : null;
    if ((task.status === "discarded" || closedBy) && run && line) {
      const reason: ArchiveReason = closedBy
        ? { kind: "closed", promotedBranch: closedBy }
        : { kind: "discarded" };
      const read = await archivedDiff(task, repo, line.branch, reason);
      diff = read.diff;
      diffError = read.error;
      diffGone = read.gone;
      archived = diff ? { keptUntil: read.keptUntil, closedBy } : null;
    } else if (mergedHere && task.mergeSha) {
      // Merged: the branch is gone; the merge commit against its first parent is the change.
      const clone = await readyClone(repo);
      diff = await diffCommits(clone, `${task.mergeSha}^1`, task.mergeSha);
      headSha = diff.toSha;
    } else if (task.mergeSha && line) {
      diffError = `This branch was closed when ${task.mergedBranch ?? "another agent's branch"} was merged.`;
    } else if (run && line) {
      diff = await branchDiff(repo, { baseBranch: task.baseBranch, branch: run.branch });
      hasChanges = diff.files.length > 0;
      headSha = diff.toSha;
      if (options.since === "last_review" && lastReview) {
        // The branch head when the last review was made: the newest checkpoint of this line up to the
        // reviewed run.
        const reviewed = line.runs.find((r) => r.id === lastReview.runId);
        const upTo = line.runs.filter((r) => !reviewed || r.queuedAt <= reviewed.queuedAt).map((r) => r.id);
        const reviewedHead = (await checkpoints(upTo)).at(-1)?.sha;
        const clone = await readyClone(repo);
        const base = await resolveBranch(clone, task.baseBranch);
        diff =
          reviewedHead && base
            ? await diffSinceReviewed(clone, { reviewed: reviewedHead, head: diff.toSha, base })
            : await diffCommits(clone, diff.fromSha, diff.toSha);
        since = "last_review";
      }
    }
  } catch (error) {
    diffError = error instanceof Error ? error.message : String(error);
  }

  const agentName = new Map(agentRows.map((a) => [a.id, a.name]));
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
    /** Every agent's line of work on the task; `branch` is the one shown. */
    lines: loaded.lines.map((l) => ({
      branch: l.branch,
      agentName: agentName.get(l.agentId) ?? "Former agent",
      runId: l.latest.id,
      status: l.latest.status,
      outcome: l.latest.outcome,
      runCount: l.runs.length,
      approved: loaded.approvedRunId !== null && l.runs.some((r) => r.id === loaded.approvedRunId),
      /** Another attempt was promoted (lib/compare/promote.ts): this one's branch is gone. */
      closed: Boolean(task.promotedBranch) && l.branch !== task.promotedBranch,
      promoted: l.branch === task.promotedBranch,
    })),
    branch: line?.branch ?? null,
    approvedBranch: loaded.approvedRunId
      ? (lineOfRun(loaded.lines, loaded.approvedRunId)?.branch ?? null)
      : null,
    diff,
    diffError,
    /** The heading for diffError when the diff is gone on purpose (retention), not broken. */
    diffGone,
    archived,
    hasChanges,
    since,
    comments: await threadComments(repo, headSha, comments),
    reviews: reviewRows.map((r) => ({
      ...r.review,
      branch: r.branch,
      reviewerName: r.reviewerName ?? "Former member",
    })),
    lastReview,
    summary: typeof summary === "string" ? summary : null,
    verificationTimedOut: verification?.timedOut ?? false,
    lineCostUsd: line?.runs.reduce((sum, r) => sum + r.costUsd, 0) ?? 0,
    totalCostUsd: taskRuns.reduce((sum, r) => sum + r.costUsd, 0),
  };
}

export type ReviewData = Awaited<ReturnType<typeof getReview>>;

const longDate = (date: Date) =>
  date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

/** Why a branch is read from the archive: the task was discarded, or another attempt was promoted. */
type ArchiveReason = { kind: "discarded" } | { kind: "closed"; promotedBranch: string };

/**
 * Closed work's diff: its branch as archived at the close (lib/git/branches.ts), or as the source kept
 * it when the delete was refused, against its base. Once the retention sweep deleted the archive, an
 * error that says when and why.
 */
async function archivedDiff(
  task: typeof tasks.$inferSelect,
  repo: typeof repositories.$inferSelect,
  branch: string,
  reason: ArchiveReason,
): Promise<{ diff: BranchDiff | null; error: string | null; gone: string | null; keptUntil: Date | null }> {
  const days = await discardedRetentionDays(task.teamId);
  const policy =
    days > 0
      ? `Discarded work is kept for ${days} day${days === 1 ? "" : "s"} (Settings → General).`
      : "Discarded work is now kept forever (Settings → General).";
  const closedAt =
    reason.kind === "discarded" ? (task.closedAt ?? task.updatedAt) : (task.promotedAt ?? task.updatedAt);
  const closing =
    reason.kind === "discarded"
      ? `the task was discarded on ${longDate(closedAt)}`
      : `this attempt was closed on ${longDate(closedAt)}, when ${reason.promotedBranch} was promoted`;
  if (task.diffExpiredAt) {
    return {
      diff: null,
      error: `The diff expired on ${longDate(task.diffExpiredAt)}: ${closing}, and its archived branch was deleted when the retention period ended. ${policy}`,
      gone: "The diff has expired",
      keptUntil: null,
    };
  }
  const clone = await readyClone(repo);
  const head = (await archivedBranchHead(clone, task.id, branch)) ?? (await resolveBranch(clone, branch));
  if (!head) {
    return {
      diff: null,
      // Either the branch had no commit yet, or it was closed before closed work was archived.
      error:
        reason.kind === "discarded"
          ? `No copy of the branch ${branch} was kept: it had no commits when the task was discarded, or the task was discarded before Foreman archived discarded work. ${policy}`
          : `This attempt was closed when ${reason.promotedBranch} was promoted, and no copy of its branch ${branch} was kept (it had no commits, or it was closed before Foreman archived closed attempts).`,
      gone: "The diff wasn't kept",
      keptUntil: null,
    };
  }
  const base = await resolveBranch(clone, task.baseBranch);
  if (!base) {
    return {
      diff: null,
      error: `The base branch '${task.baseBranch}' no longer exists in the repository.`,
      gone: null,
      keptUntil: null,
    };
  }
  return {
    diff: await diffFromMergeBase(clone, base, head),
    error: null,
    gone: null,
    keptUntil: keptUntil(closedAt, days),
  };
}

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

/**
 * Which step of which run wrote a line of the branch, from `git blame` and the checkpoint events. After
 * a merge the blame runs on the merged branch's head as it was (a squash commit would own every line).
 */
export async function lineProvenance(
  actor: Actor,
  taskId: string,
  input: { path: string; line: number; runId?: string },
): Promise<LineProvenance | null> {
  const loaded = await loadTask(actor, taskId);
  const { task, repo } = loaded;
  const line = pickLine(loaded, input.runId);
  if (!line || !Number.isInteger(input.line) || input.line < 1) return null;
  const clone = await readyClone(repo);
  const merged = task.mergeSha && (!task.mergedBranch || task.mergedBranch === line.branch);
  const head = merged
    ? (task.mergedHeadSha ?? task.mergeSha)
    : ((await resolveBranch(clone, line.branch)) ??
      (await checkpoints(line.runs.map((r) => r.id))).at(-1)?.sha);
  if (!head) return null;
  const blamed = await blameLines(repo, {
    ref: head,
    path: input.path,
    start: input.line,
    end: input.line,
  }).catch(() => []);
  const sha = blamed[0]?.sha;
  if (!sha) return null;
  const made = (await checkpoints(line.runs.map((r) => r.id))).find((c) => c.sha === sha);
  const info = await git(["show", "-s", "--format=%an%x00%aI", sha], { gitDir: clone }).then(
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
  const { task, repo, lines } = await loadTask(actor, run.taskId);
  // Only this run's own line (its branch): other agents' runs of the task share its queuedAt.
  const line = lineOfRun(lines, run.id);
  const self = line?.runs.find((r) => r.id === run.id);
  const upTo = (line?.runs ?? []).filter((r) => self && r.queuedAt <= self.queuedAt).map((r) => r.id);
  // No clone and an unreachable source (or a path that no longer exists) is the repository's state,
  // not a server fault: a 409 that says so, rather than a 500.
  const clone = await readyClone(repo).catch((error: unknown) => {
    console.warn("[reviews] diff: the repository can't be read:", error);
    throw conflict(`The repository ${repo.name} can't be read: its source is unreachable.`);
  });
  const head = (await checkpoints(upTo)).at(-1)?.sha ?? (await resolveBranch(clone, run.branch));
  if (!head) throw conflict("This run has no changes yet: its branch doesn't exist.");
  const merged = task.mergeSha && (!task.mergedBranch || task.mergedBranch === run.branch);
  const base = merged ? `${task.mergeSha}^1` : await resolveBranch(clone, task.baseBranch);
  if (!base) throw conflict(`The base branch '${task.baseBranch}' no longer exists in the repository.`);
  return diffFromMergeBase(clone, base, head).catch((error: unknown) => {
    console.warn("[reviews] diff failed:", error);
    throw conflict("This run's branch and its base share no history, or a commit of it is missing.");
  });
}
