// Review decisions on a task: request changes (the comments go back to the agent as a follow-up run on
// the same branch), approve, discard, and ask the agent to resolve a merge conflict. Merging is in merge.ts.
import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import {
  agents,
  isWorkingRun,
  JUDGE_RUN_KIND,
  reviewComments,
  reviews,
  runs,
  type Task,
  taskBaseConflicts,
  tasks,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, conflict, forbidden } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { closeTaskBranches } from "@/lib/git/branches";
import { leaveQueue } from "@/lib/merge-queue/queue";
import { parseInput } from "@/lib/models/parse";
import { type QueueAudit, queueRun } from "@/lib/runs/queue-run";
import { onTaskDiscarded } from "@/lib/tasks/dependency-events";
import { snapshotOf } from "./anchor";
import { assertBranchHasChanges } from "./branch-changes";
import { COMMENTABLE_STATUSES } from "./comments";
import { assertCommentInDiff, type CommentPlace, diffLines } from "./diff-lines";
import { type FileReader, fileReader } from "./files";
import {
  chooseLine,
  lockTask,
  refuseUnless,
  refuseWhileAnyRunning,
  refuseWhileRunning,
  repoOf,
  requiresIndependentApproval,
} from "./load";
import { followUpPrompt, resolveConflictPrompt } from "./prompts";
import { type ApproveInput, approveSchema, type RequestChangesInput, requestChangesSchema } from "./schema";

type RunRow = typeof runs.$inferSelect;

/** Draft comments on one line of work (and any not tied to a run). */
function draftsOf(taskId: string, lineRuns: RunRow[]) {
  return and(
    eq(reviewComments.taskId, taskId),
    eq(reviewComments.status, "draft"),
    or(
      isNull(reviewComments.runId),
      inArray(
        reviewComments.runId,
        lineRuns.map((r) => r.id),
      ),
    ),
  );
}

/**
 * Queues a run that continues a run's branch with the same agent and model (a follow-up after review or
 * an answer, a conflict resolution), with the agent's budgets as they are now.
 */
export async function queueContinuation(
  tx: Tx,
  actor: Actor,
  task: Task,
  parent: RunRow,
  kind: "follow_up" | "resolve_conflict",
  prompt: string,
  audit: (run: RunRow) => QueueAudit,
) {
  const [agent] = await tx.select().from(agents).where(eq(agents.id, parent.agentId));
  if (!agent) throw new Error("the run's agent is gone");
  return queueRun(
    tx,
    actor,
    task,
    { agent, branch: parent.branch, kind, prompt, parentRunId: parent.id, model: parent.model },
    { audit, notice: kind === "follow_up" ? "review" : "task" },
  );
}

/**
 * Comments sent with a request for changes must be about the diff under review: a file the branch
 * changed and lines inside one of its hunks on the comment's side (diff-lines.ts). Otherwise the agent
 * would get a comment it can't act on: a 400 naming the comment's field, before anything is stored or a
 * run queued. Checked only when git can read the branch (when it can't, the request fails further on).
 */
async function assertCommentsInDiff(files: FileReader, comments: CommentPlace[]) {
  if (comments.length === 0) return;
  const diff = await files.diff();
  if (!diff) return;
  const lines = diffLines(diff);
  for (const [index, comment] of comments.entries()) {
    assertCommentInDiff(lines, comment, { path: `comments.${index}.path`, line: `comments.${index}.line` });
  }
}

export async function requestChanges(actor: Actor, taskId: string, raw: RequestChangesInput = {}) {
  authorize(actor, "tasks:review");
  const input = parseInput(requestChangesSchema, raw);
  const db = await getDb();
  // Code around each comment is read from git before the transaction, which stays short.
  const preview = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    const { run, line } = await chooseLine(tx, task, input.runId);
    const drafts = await tx
      .select({ path: reviewComments.path, side: reviewComments.side })
      .from(reviewComments)
      .where(draftsOf(task.id, line.runs));
    return { task, run, comments: [...drafts, ...input.comments] };
  });
  const files = await fileReader(preview.task, preview.run.branch);
  await files.load(preview.comments);
  await assertCommentsInDiff(files, input.comments);

  const result = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseUnless(task, COMMENTABLE_STATUSES, "sent back for changes");
    // The same line as the preview read, even if another agent's run ended meanwhile.
    const { line } = await chooseLine(tx, task, preview.run.id);
    const reviewed = line.latest;
    refuseWhileRunning(reviewed);
    if (input.comments.length > 0) {
      await tx.insert(reviewComments).values(
        input.comments.map((c) => ({
          teamId: task.teamId,
          taskId: task.id,
          runId: reviewed.id,
          authorId: actor.userId,
          ...c,
          commitSha: files.head,
          ...snapshotOf(files.text(c.path, c.side), c.lineStart, c.lineEnd),
        })),
      );
    }
    const pending = await tx
      .update(reviewComments)
      .set({ status: "submitted", submittedAt: new Date(), runId: reviewed.id })
      .where(draftsOf(task.id, [...line.runs, reviewed]))
      .returning();
    if (pending.length === 0 && !input.body) {
      throw badRequest("Add at least one comment saying what should change.", "comments");
    }
    pending.sort(
      (a, b) => a.path.localeCompare(b.path) || a.side.localeCompare(b.side) || a.lineStart - b.lineStart,
    );
    await files.load(pending);
    const prompt = followUpPrompt({
      reviewer: actor.name,
      taskTitle: task.title,
      body: input.body,
      comments: pending,
      fileText: files.text,
    });
    const [review] = await tx
      .insert(reviews)
      .values({
        teamId: task.teamId,
        taskId: task.id,
        runId: reviewed.id,
        reviewerId: actor.userId,
        decision: "changes_requested",
        commentCount: pending.length,
        body: input.body ?? null,
      })
      .returning();
    const run = await queueContinuation(tx, actor, task, reviewed, "follow_up", prompt, (queued) => ({
      action: "task.changes_requested",
      object: { type: "task", id: task.id },
      details: {
        number: task.number,
        comments: pending.length,
        reviewId: review?.id,
        runId: queued.id,
        branch: reviewed.branch,
      },
    }));
    // The follow-up answers these comments: its summary is threaded under each of them.
    if (pending.length > 0) {
      await tx
        .update(reviewComments)
        .set({ answeredByRunId: run.id })
        .where(
          inArray(
            reviewComments.id,
            pending.map((c) => c.id),
          ),
        );
    }
    const [updated] = await tx
      .update(tasks)
      .set({ status: "changes_requested", approvedBy: null, approvedAt: null, updatedAt: new Date() })
      .where(eq(tasks.id, task.id))
      .returning();
    return {
      task: updated ?? task,
      run,
      comments: pending.map((c) => ({ ...c, answeredByRunId: run.id })),
    };
  });
  return result;
}

export async function approveTask(actor: Actor, taskId: string, raw: ApproveInput = {}) {
  authorize(actor, "tasks:review");
  const input = parseInput(approveSchema, raw);
  const db = await getDb();
  // An empty branch has nothing to approve (git is read before the transaction, which stays short).
  const preview = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    const { line } = await chooseLine(tx, task, input.runId);
    return { task, branch: line.branch, runId: line.latest.id, repo: await repoOf(tx, task) };
  });
  await assertBranchHasChanges(preview.repo, preview.task.baseBranch, preview.branch, "approve");
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    // The line the preview checked, even if another agent's run ended meanwhile.
    const { runs: taskRuns, line, approvedLine } = await chooseLine(tx, task, preview.runId);
    // With several agents, approving another agent's branch moves the approval (and the merge) to it.
    const switching = approvedLine !== undefined && approvedLine.branch !== line.branch;
    // A task that needs a human (its latest run changed nothing more) can still take the branch as it is.
    refuseUnless(
      task,
      switching ? ["in_review", "approved", "conflict"] : ["in_review", "needs_human"],
      "approved",
    );
    refuseWhileAnyRunning(taskRuns);
    const reviewed = line.latest;
    if (task.assignedBy === actor.userId && (await requiresIndependentApproval(tx, task.teamId))) {
      throw forbidden(
        "Your team requires the approval to come from someone other than the person who assigned the task.",
      );
    }
    // Drafts left on the page go out with the approval, as notes: the work is accepted as it is.
    const notes = await tx
      .update(reviewComments)
      .set({ status: "submitted", submittedAt: new Date(), runId: reviewed.id })
      .where(draftsOf(task.id, line.runs))
      .returning({ id: reviewComments.id });
    await tx.insert(reviews).values({
      teamId: task.teamId,
      taskId: task.id,
      runId: reviewed.id,
      reviewerId: actor.userId,
      decision: "approved",
      commentCount: notes.length,
      body: input.body ?? null,
    });
    const [updated] = await tx
      .update(tasks)
      .set({
        status: "approved",
        approvedBy: actor.userId,
        approvedAt: new Date(),
        conflictFiles: null,
        updatedAt: new Date(),
      })
      .where(eq(tasks.id, task.id))
      .returning();
    await recordAudit(
      tx,
      actor,
      "task.approved",
      { type: "task", id: task.id },
      {
        number: task.number,
        runId: reviewed.id,
        branch: reviewed.branch,
        ...(input.body ? { note: true } : {}),
      },
    );
    await notifyTeamChange(tx, { teamId: task.teamId, kind: "review", taskId: task.id });
    return updated ?? task;
  });
}

/**
 * Closes the task without merging and deletes its branches in the source, after archiving them in
 * Foreman's clone: the review page keeps showing the work for the team's retention period (lib/tasks/archive.ts).
 */
export async function discardTask(actor: Actor, taskId: string) {
  authorize(actor, "tasks:merge");
  const db = await getDb();
  const { task, branches, repo } = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    if (task.status === "merged" || task.status === "discarded") refuseUnless(task, [], "discarded");
    const taskRuns = await tx.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(asc(runs.queuedAt));
    const active = taskRuns.find((run) => isWorkingRun(run) && run.kind !== JUDGE_RUN_KIND);
    if (active) throw conflict("An agent is still working on this task. Cancel its run first, then discard.");
    await leaveQueue(tx, task.id, "The task was discarded while it waited to merge.");
    // A run that never started simply ends with the task.
    await tx
      .update(runs)
      .set({
        status: "cancelled",
        stopReason: "discarded",
        outcome: "failed",
        outcomeReason: "The task was discarded before the run started.",
        finishedAt: new Date(),
      })
      .where(and(eq(runs.taskId, task.id), eq(runs.status, "queued")));
    const [updated] = await tx
      .update(tasks)
      // diffExpiredAt may mark the sweep of attempts closed at a promotion: the discard's archive is new.
      .set({ status: "discarded", closedAt: new Date(), updatedAt: new Date(), diffExpiredAt: null })
      .where(eq(tasks.id, task.id))
      .returning();
    await onTaskDiscarded(tx, actor, task);
    const branches = [...new Set(taskRuns.map((r) => r.branch))];
    await recordAudit(
      tx,
      actor,
      "task.discarded",
      { type: "task", id: task.id },
      { number: task.number, branches },
    );
    await notifyTeamChange(tx, { teamId: task.teamId, kind: "task", taskId: task.id });
    return { task: updated ?? task, branches, repo: await repoOf(tx, task) };
  });
  // The task is closed either way; a branch the source refuses to delete is only reported.
  return { task, keptBranches: await closeTaskBranches(repo, task.id, branches) };
}

/** Open tasks whose branch may be rebased before a merge tried it, when a conflict with the base is predicted. */
const REBASABLE: readonly string[] = ["in_review", "changes_requested", "approved", "needs_human"];

/**
 * After a conflict, or before one when it is predicted (the base moved on and merging would conflict,
 * lib/conflicts): a run that merges the base into the branch and resolves the conflicts.
 */
export async function askAgentToResolve(actor: Actor, taskId: string) {
  authorize(actor, "tasks:review");
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    const predicted =
      task.status === "conflict"
        ? null
        : ((
            await tx
              .select({ files: taskBaseConflicts.files })
              .from(taskBaseConflicts)
              .where(eq(taskBaseConflicts.taskId, task.id))
          )[0]?.files ?? null);
    if (!predicted || !REBASABLE.includes(task.status)) {
      refuseUnless(task, ["conflict"], "handed back for conflict resolution");
    }
    const conflictFiles = predicted ?? task.conflictFiles ?? [];
    // The approved branch is the one that conflicted.
    const { runs: taskRuns, line } = await chooseLine(tx, task);
    refuseWhileAnyRunning(taskRuns);
    const parent = line.latest;
    const [agent] = await tx.select().from(agents).where(eq(agents.id, parent.agentId));
    const prompt = resolveConflictPrompt({
      baseBranch: task.baseBranch,
      files: conflictFiles,
      agentName: agent?.name ?? "Foreman agent",
    });
    const run = await queueContinuation(tx, actor, task, parent, "resolve_conflict", prompt, (queued) => ({
      action: "task.conflict_resolution_requested",
      object: { type: "task", id: task.id },
      details: {
        number: task.number,
        runId: queued.id,
        branch: parent.branch,
        files: conflictFiles,
        ...(predicted ? { predicted: true } : {}),
      },
    }));
    // The resolution changes the code, so it is reviewed (and approved) again.
    const [updated] = await tx
      .update(tasks)
      .set({ status: "queued", approvedBy: null, approvedAt: null, updatedAt: new Date() })
      .where(eq(tasks.id, task.id))
      .returning();
    return { task: updated ?? task, run };
  });
  return result;
}
