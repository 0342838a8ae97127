import { z } from "zod";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";

const lineNumber = z.coerce.number().int("Line numbers are whole numbers.").min(1, "Lines start at 1.");

const commentBody = z
  .string()
  .trim()
  .min(1, "Write a comment.")
  .max(20_000, "Keep comments under 20,000 characters.")
  .refine(isStorableText, STORABLE_TEXT_MESSAGE);

export const commentSchema = z
  .object({
    path: z.string().trim().min(1, "Name the file.").max(1000).refine(isStorableText, STORABLE_TEXT_MESSAGE),
    /** "new": lines of the branch's file; "old": removed lines, numbered in the file before the change. */
    side: z.enum(["old", "new"], { message: 'side is "old" or "new".' }).default("new"),
    lineStart: lineNumber,
    lineEnd: lineNumber.optional(),
    body: commentBody,
  })
  .transform((c) => ({ ...c, lineEnd: Math.max(c.lineStart, c.lineEnd ?? c.lineStart) }));
export type CommentInput = z.input<typeof commentSchema>;

/** Which agent's branch a decision is about, for a task assigned to several agents: any run of it. */
const runId = z.string().trim().min(1).optional();

/** The REST shape: {path, line, body}, with an optional lineEnd for a range. */
export const apiCommentSchema = z.preprocess((value) => {
  if (!value || typeof value !== "object" || !("line" in value)) return value;
  const { line, ...rest } = value as Record<string, unknown>;
  return { ...rest, lineStart: line };
}, commentSchema);

/** A review's overall note: optional, empty means none. */
const reviewBody = z
  .string()
  .trim()
  .max(20_000, "Keep the note under 20,000 characters.")
  .refine(isStorableText, STORABLE_TEXT_MESSAGE)
  .optional()
  .transform((v) => v || undefined);

export const requestChangesSchema = z.object({
  runId,
  /** Comments submitted with the request (the API's way); drafts left in the page are added to them. */
  comments: z.array(commentSchema).max(500).default([]),
  body: reviewBody,
});
export type RequestChangesInput = z.input<typeof requestChangesSchema>;

export const approveSchema = z
  .object({
    runId,
    /** A note with the approval, kept in the review history ("comment" is accepted too). */
    body: reviewBody,
    comment: reviewBody,
  })
  .transform(({ comment, ...rest }) => ({ ...rest, body: rest.body ?? comment }));

/** A draft comment's new text. */
export const editCommentSchema = z.object({ body: commentBody });
export type EditCommentInput = z.input<typeof editCommentSchema>;
export type ApproveInput = z.input<typeof approveSchema>;

/** A person's answer to an agent that asked a question, was blocked, or changed nothing. */
export const answerSchema = z.object({
  runId,
  answer: z
    .string()
    .trim()
    .min(1, "Write your answer.")
    .max(20_000, "Keep the answer under 20,000 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE),
});
export type AnswerInput = z.input<typeof answerSchema>;

export const mergeSchema = z.object({
  runId,
  /** Run the repository's test command on the merged tree before pushing it. */
  verify: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).default(false),
  /** When the merge queue refuses it (the merged tree fails tests the branch passed), ask the agent to fix it. */
  fixOnFailure: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).default(false),
});
export type MergeInput = z.input<typeof mergeSchema>;
