// Inline review comments: drafts until a review is submitted, visible to everyone who can see the task.
import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { reviewComments, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { isUuid } from "@/lib/ids";
import { parseInput } from "@/lib/models/parse";
import { snapshotOf } from "./anchor";
import { assertCommentInDiff, diffLines } from "./diff-lines";
import { fileReader } from "./files";
import { chooseLine, lockTask, refuseUnless } from "./load";
import { type CommentInput, commentSchema, type EditCommentInput, editCommentSchema } from "./schema";

/**
 * Where the work can still go back to the agent: in review, approved, in conflict, a failed run, or a run
 * that needs a human (it changed nothing more, was blocked or asked a question).
 */
export const COMMENTABLE_STATUSES = ["in_review", "approved", "conflict", "failed", "needs_human"];

/** A draft comment on the line of work `runId` belongs to (by default the one the review page shows). */
export async function addComment(
  actor: Actor,
  taskId: string,
  raw: CommentInput,
  options: { runId?: string } = {},
) {
  authorize(actor, "tasks:review");
  const input = parseInput(commentSchema, raw);
  const db = await getDb();
  // The diff is read from git before the transaction, which stays short.
  const preview = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseUnless(task, COMMENTABLE_STATUSES, "commented on now");
    return { task, ...(await chooseLine(tx, task, options.runId)) };
  });
  const files = await fileReader(preview.task, preview.run.branch);
  const diff = await files.diff();
  if (diff) assertCommentInDiff(diffLines(diff), input, { path: "path", line: "lineStart" });
  // What the comment is written against: a later revision is compared with it (anchor.ts).
  await files.load([input]);
  const snapshot = {
    commitSha: files.head,
    ...snapshotOf(files.text(input.path, input.side), input.lineStart, input.lineEnd),
  };
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseUnless(task, COMMENTABLE_STATUSES, "commented on now");
    const { run } = await chooseLine(tx, task, preview.run.id);
    const [comment] = await tx
      .insert(reviewComments)
      .values({
        teamId: task.teamId,
        taskId: task.id,
        runId: run.id,
        authorId: actor.userId,
        ...input,
        ...snapshot,
      })
      .returning();
    if (!comment) throw new Error("comment insert returned nothing");
    await recordAudit(
      tx,
      actor,
      "review.comment_added",
      { type: "task", id: task.id },
      {
        commentId: comment.id,
        path: input.path,
        side: input.side,
        lineStart: input.lineStart,
        lineEnd: input.lineEnd,
        branch: run.branch,
      },
    );
    await notifyTeamChange(tx, { teamId: task.teamId, kind: "review", taskId: task.id });
    return comment;
  });
}

/** The comment, locked; only a draft may change: a submitted comment is the review's record. */
async function lockDraft(tx: Tx, actor: Actor, commentId: string, verb: "edit" | "delete") {
  if (!isUuid(commentId)) throw notFound("Comment");
  const [comment] = await tx
    .select()
    .from(reviewComments)
    .where(and(eq(reviewComments.id, commentId), eq(reviewComments.teamId, actor.teamId)))
    .for("update");
  if (!comment) throw notFound("Comment");
  if (comment.status !== "draft") {
    throw conflict(
      `This comment was already sent with a review; it can't be ${verb === "edit" ? "edited" : "deleted"}.`,
    );
  }
  return comment;
}

/** Only its author rewrites a draft: a reviewer's words are never put in their mouth by someone else. */
export async function editComment(actor: Actor, commentId: string, raw: EditCommentInput) {
  authorize(actor, "tasks:review");
  const input = parseInput(editCommentSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const comment = await lockDraft(tx, actor, commentId, "edit");
    if (comment.authorId !== actor.userId) throw forbidden("Only its author can edit a draft comment.");
    const [updated] = await tx
      .update(reviewComments)
      .set({ body: input.body, editedAt: new Date() })
      .where(eq(reviewComments.id, comment.id))
      .returning();
    if (!updated) throw new Error("comment update returned nothing");
    await recordAudit(
      tx,
      actor,
      "review.comment_edited",
      { type: "task", id: comment.taskId },
      { commentId: comment.id, path: comment.path },
    );
    await notifyTeamChange(tx, { teamId: actor.teamId, kind: "review", taskId: comment.taskId });
    return updated;
  });
}

/** Only drafts can be deleted, by their author or an admin; submitted comments are the review's record. */
export async function deleteComment(actor: Actor, commentId: string) {
  authorize(actor, "tasks:review");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const comment = await lockDraft(tx, actor, commentId, "delete");
    if (comment.authorId !== actor.userId && actor.role !== "admin") {
      throw forbidden("Only its author can delete a draft comment.");
    }
    await tx.delete(reviewComments).where(eq(reviewComments.id, comment.id));
    await recordAudit(
      tx,
      actor,
      "review.comment_deleted",
      { type: "task", id: comment.taskId },
      { commentId: comment.id, path: comment.path },
    );
    await notifyTeamChange(tx, { teamId: actor.teamId, kind: "review", taskId: comment.taskId });
    return comment;
  });
}

/** The task's comments; with `runIds`, only those on that line of work (comments left before runs existed stay). */
export async function listComments(actor: Actor, taskId: string, options: { runIds?: string[] } = {}) {
  authorize(actor, "team:read");
  if (!isUuid(taskId)) throw notFound("Task");
  const db = await getDb();
  const onLine = options.runIds
    ? or(isNull(reviewComments.runId), inArray(reviewComments.runId, options.runIds))
    : undefined;
  return db
    .select({ comment: reviewComments, authorName: users.name })
    .from(reviewComments)
    .leftJoin(users, eq(users.id, reviewComments.authorId))
    .where(and(eq(reviewComments.taskId, taskId), eq(reviewComments.teamId, actor.teamId), onLine))
    .orderBy(asc(reviewComments.createdAt))
    .then((rows) => rows.map((r) => ({ ...r.comment, authorName: r.authorName ?? "Former member" })));
}
