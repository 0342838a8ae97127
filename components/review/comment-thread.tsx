"use client";

import { Pencil, Trash2 } from "lucide-react";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import {
  addCommentAction,
  deleteCommentAction,
  editCommentAction,
} from "@/app/(dashboard)/tasks/[id]/review/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Textarea } from "@/components/ui/input";
import { TimeAgo } from "@/components/ui/time-ago";
import { type FormState, initialFormState } from "@/lib/actions/form-state";
import { cn } from "@/lib/utils";
import { CommentAnswer, type CommentAnswerView, OriginalContext } from "./comment-answer";

export interface ReviewCommentView {
  id: string;
  path: string;
  side: "old" | "new";
  lineStart: number;
  lineEnd: number;
  body: string;
  status: "draft" | "submitted";
  authorId: string | null;
  authorName: string;
  createdAt: Date;
  editedAt?: Date | null;
  /** Where the comment sits in the branch now (lib/reviews/anchor.ts); lineStart/lineEnd are that place. */
  anchor?: { state: "current" | "moved" | "outdated" };
  originalLineStart?: number;
  originalLineEnd?: number;
  /** The numbered code it was written on: shown once its lines are gone. */
  context?: string | null;
  answer?: CommentAnswerView | null;
}

/** "line 4", "lines 4–6"; removed lines say so ("removed line 12"): they are numbered in the old file. */
export function lineLabel(c: { side?: "old" | "new"; lineStart: number; lineEnd: number }) {
  const lines = c.lineStart === c.lineEnd ? `line ${c.lineStart}` : `lines ${c.lineStart}–${c.lineEnd}`;
  return c.side === "old" ? `removed ${lines}` : lines;
}

function DeleteDraft({ taskId, commentId }: { taskId: string; commentId: string }) {
  // Toasted as soon as the action answers: the refreshed page no longer renders this card.
  const [state, action] = useActionState(async (previous: FormState, formData: FormData) => {
    const result = await deleteCommentAction(previous, formData);
    if (result.ok && result.message) toast.success(result.message);
    return result;
  }, initialFormState);
  return (
    <form action={action}>
      <input type="hidden" name="taskId" value={taskId} />
      <input type="hidden" name="commentId" value={commentId} />
      <SubmitButton size="sm" variant="ghost" aria-label="Delete draft comment" className="h-6 px-1.5">
        <Trash2 aria-hidden />
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}

function EditDraft({
  taskId,
  comment,
  onDone,
}: {
  taskId: string;
  comment: ReviewCommentView;
  onDone: () => void;
}) {
  const [state, action] = useActionState(editCommentAction, initialFormState);
  useSuccessToast(state, onDone);
  const error = state.fieldErrors?.body;
  return (
    <form action={action} className="mt-1 grid gap-2" aria-label="Edit comment">
      <input type="hidden" name="taskId" value={taskId} />
      <input type="hidden" name="commentId" value={comment.id} />
      <Textarea
        autoFocus
        name="body"
        aria-label="Comment"
        defaultValue={state.values?.body ?? comment.body}
        className="min-h-16 font-sans text-sm"
        aria-invalid={error ? true : undefined}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey))
            event.currentTarget.form?.requestSubmit();
          if (event.key === "Escape") onDone();
        }}
      />
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
      <FormError state={state} />
      <div className="flex items-center gap-2">
        <SubmitButton size="sm" pendingText="Saving…">
          Save
        </SubmitButton>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** Moved: where its lines were; outdated: its lines changed since it was written. */
function AnchorBadge({ comment }: { comment: ReviewCommentView }) {
  const state = comment.anchor?.state;
  if (state === "outdated") {
    return (
      <Badge tone="neutral" title="The agent changed these lines after this comment was written.">
        Outdated
      </Badge>
    );
  }
  if (state === "moved" && comment.originalLineStart !== undefined) {
    const was = lineLabel({
      lineStart: comment.originalLineStart,
      lineEnd: comment.originalLineEnd ?? comment.originalLineStart,
    });
    return (
      <span className="text-muted-foreground" data-testid="comment-moved">
        moved, was {was}
      </span>
    );
  }
  return null;
}

export function CommentCard({
  comment,
  taskId,
  viewer,
}: {
  comment: ReviewCommentView;
  taskId: string;
  /** Who looks: the author edits a draft; the author or an admin deletes it (the server checks too). */
  viewer: { id: string; isAdmin: boolean } | null;
}) {
  const [editing, setEditing] = useState(false);
  const draft = comment.status === "draft";
  const mine = viewer !== null && comment.authorId === viewer.id;
  const outdated = comment.anchor?.state === "outdated";
  return (
    <div
      className={cn(
        "min-w-0 rounded-md border bg-surface px-3 py-2",
        // A removed line's comment carries the removed lines' colour, so it reads as about the old code.
        comment.side === "old" && "border-l-2 border-l-red-400/70",
        outdated && "opacity-90",
      )}
      data-testid="review-comment"
      data-anchor={comment.anchor?.state ?? "current"}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
        <span className="font-medium">{comment.authorName}</span>
        {draft ? <Badge tone="warning">Draft</Badge> : <Badge>Sent to agent</Badge>}
        <AnchorBadge comment={comment} />
        <span className="text-muted-foreground">
          {lineLabel(comment)} · <TimeAgo date={comment.createdAt} />
          {comment.editedAt ? " · edited" : ""}
        </span>
        {draft && !editing && viewer && (mine || viewer.isAdmin) ? (
          <span className="ml-auto flex items-center">
            {mine ? (
              <Button
                size="sm"
                variant="ghost"
                aria-label="Edit draft comment"
                className="h-6 px-1.5"
                onClick={() => setEditing(true)}
              >
                <Pencil aria-hidden />
              </Button>
            ) : null}
            <DeleteDraft taskId={taskId} commentId={comment.id} />
          </span>
        ) : null}
      </div>
      {editing ? (
        <EditDraft taskId={taskId} comment={comment} onDone={() => setEditing(false)} />
      ) : (
        <p className="mt-1 whitespace-pre-wrap break-words text-sm">{comment.body}</p>
      )}
      {outdated ? <OriginalContext context={comment.context ?? null} /> : null}
      {comment.answer ? <CommentAnswer answer={comment.answer} /> : null}
    </div>
  );
}

export function CommentForm({
  taskId,
  runId,
  path,
  side,
  lineStart,
  lineEnd,
  onDone,
}: {
  taskId: string;
  runId: string | null;
  path: string;
  side: "old" | "new";
  lineStart: number;
  lineEnd: number;
  onDone: () => void;
}) {
  const [state, action] = useActionState(addCommentAction, initialFormState);
  useSuccessToast(state, onDone);
  const error = state.fieldErrors?.body ?? state.fieldErrors?.lineStart ?? state.fieldErrors?.path;
  return (
    <form action={action} className="grid gap-2 rounded-md border bg-surface p-2" aria-label="New comment">
      <input type="hidden" name="taskId" value={taskId} />
      {runId ? <input type="hidden" name="runId" value={runId} /> : null}
      <input type="hidden" name="path" value={path} />
      <input type="hidden" name="side" value={side} />
      <input type="hidden" name="lineStart" value={lineStart} />
      <input type="hidden" name="lineEnd" value={lineEnd} />
      <label htmlFor={`comment-${path}-${side}-${lineEnd}`} className="text-xs text-muted-foreground">
        Comment on <span className="font-mono">{path}</span>, {lineLabel({ side, lineStart, lineEnd })}
        {side === "old" ? " (numbered in the file before this branch)" : ""}
      </label>
      <Textarea
        autoFocus
        id={`comment-${path}-${side}-${lineEnd}`}
        name="body"
        defaultValue={state.ok ? "" : state.values?.body}
        placeholder="What should the agent change here?"
        className="min-h-16 font-sans text-sm"
        aria-invalid={error ? true : undefined}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey))
            event.currentTarget.form?.requestSubmit();
          if (event.key === "Escape") onDone();
        }}
      />
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
      <FormError state={state} />
      <div className="flex items-center gap-2">
        <SubmitButton size="sm" pendingText="Saving…">
          Add comment
        </SubmitButton>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <span className="text-xs text-muted-foreground">⌘/Ctrl + Enter · Esc to cancel</span>
      </div>
    </form>
  );
}

export function CommentThread({
  comments,
  composing,
  taskId,
  runId,
  viewer,
  onCloseForm,
}: {
  comments: ReviewCommentView[];
  composing: { path: string; side: "old" | "new"; lineStart: number; lineEnd: number } | null;
  taskId: string;
  runId: string | null;
  viewer: { id: string; isAdmin: boolean };
  onCloseForm: () => void;
}) {
  return (
    <div className="grid gap-2 border-y bg-muted/40 py-2 pr-4 pl-[6.5rem] font-sans">
      {comments.map((c) => (
        <CommentCard key={c.id} comment={c} taskId={taskId} viewer={viewer} />
      ))}
      {composing ? <CommentForm taskId={taskId} runId={runId} {...composing} onDone={onCloseForm} /> : null}
    </div>
  );
}
