"use client";

import { Bot, Check, GitMerge, RotateCcw, Trash2 } from "lucide-react";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import {
  approveAction,
  discardAction,
  mergeAction,
  requestChangesAction,
  resolveAction,
} from "@/app/(dashboard)/tasks/[id]/review/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Textarea } from "@/components/ui/input";
import type { TaskStatus } from "@/db/schema/tasks";
import type { FormState } from "@/lib/actions/form-state";
import { initialFormState } from "@/lib/actions/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

function ActionForm({
  action,
  taskId,
  children,
  onDone,
  className,
}: {
  action: Action;
  taskId: string;
  children: (state: FormState) => React.ReactNode;
  onDone?: () => void;
  className?: string;
}) {
  // The toast is raised as soon as the action answers: the page it refreshes may no longer render this
  // form (an approved task has no Approve button), so an effect here would never run.
  const [state, formAction] = useActionState(async (previous: FormState, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) {
      if (result.message) toast.success(result.message);
      onDone?.();
    }
    return result;
  }, initialFormState);
  return (
    <form action={formAction} className={className}>
      <input type="hidden" name="taskId" value={taskId} />
      {children(state)}
    </form>
  );
}

function RequestChangesDialog({ taskId, drafts }: { taskId: string; drafts: number }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary">
          <RotateCcw aria-hidden /> Request changes{drafts > 0 ? ` (${drafts})` : ""}
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Request changes"
        description={
          drafts > 0
            ? `${drafts} draft ${drafts === 1 ? "comment goes" : "comments go"} to the agent as a new run on the same branch, each with the code around it.`
            : "You have no draft comments. Say what should change; it goes to the agent as a new run on the same branch."
        }
      >
        <ActionForm
          action={requestChangesAction}
          taskId={taskId}
          onDone={() => setOpen(false)}
          className="grid gap-3"
        >
          {(state) => (
            <>
              <label htmlFor="review-body" className="text-sm font-medium">
                Overall note {drafts > 0 ? <span className="text-muted-foreground">(optional)</span> : null}
              </label>
              <Textarea
                id="review-body"
                name="body"
                defaultValue={state.values?.body}
                placeholder="Also keep the public API unchanged."
                className="text-sm"
              />
              <FormError
                state={state.fieldErrors?.comments ? { ...state, error: state.fieldErrors.comments } : state}
              />
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="secondary">
                    Cancel
                  </Button>
                </DialogClose>
                <SubmitButton pendingText="Sending…">Send to the agent</SubmitButton>
              </div>
            </>
          )}
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}

function MergeDialog({
  taskId,
  baseBranch,
  strategy,
  canVerify,
  retry,
}: {
  taskId: string;
  baseBranch: string;
  strategy: "merge" | "squash";
  canVerify: boolean;
  retry: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={retry ? "secondary" : "primary"}>
          <GitMerge aria-hidden /> {retry ? "Try merging again" : "Merge"}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Merge into ${baseBranch}`}
        description={
          strategy === "squash"
            ? `The branch is squashed into one commit on ${baseBranch} and pushed to the repository.`
            : `A merge commit on ${baseBranch}, pushed to the repository. If it conflicts, ${baseBranch} stays as it is.`
        }
      >
        <ActionForm action={mergeAction} taskId={taskId} onDone={() => setOpen(false)} className="grid gap-3">
          {(state) => (
            <>
              {canVerify ? (
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="verify" className="size-4 accent-[var(--color-accent)]" />
                  Run the repository's tests on the merged result first
                </label>
              ) : null}
              <FormError state={state} />
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="secondary">
                    Cancel
                  </Button>
                </DialogClose>
                <SubmitButton pendingText="Merging…">
                  <GitMerge aria-hidden /> Merge into {baseBranch}
                </SubmitButton>
              </div>
            </>
          )}
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}

function DiscardDialog({ taskId, branch }: { taskId: string; branch: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" className="text-danger">
          <Trash2 aria-hidden /> Discard
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Discard this task?"
        description={
          <>
            The task closes without merging and its branch <span className="font-mono">{branch}</span> is
            deleted from the repository. This can't be undone.
          </>
        }
      >
        <ActionForm
          action={discardAction}
          taskId={taskId}
          onDone={() => setOpen(false)}
          className="grid gap-3"
        >
          {(state) => (
            <>
              <FormError state={state} />
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="secondary">
                    Keep it
                  </Button>
                </DialogClose>
                <SubmitButton variant="danger" pendingText="Discarding…">
                  Discard task
                </SubmitButton>
              </div>
            </>
          )}
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}

export function ReviewActions(props: {
  taskId: string;
  status: TaskStatus;
  drafts: number;
  canReview: boolean;
  canMerge: boolean;
  runActive: boolean;
  baseBranch: string;
  branch: string;
  strategy: "merge" | "squash";
  canVerify: boolean;
  selfApprovalBlocked: boolean;
}) {
  const { taskId, status, canReview, canMerge, runActive } = props;
  const closed = status === "merged" || status === "discarded";
  if (closed || runActive) return null;
  const reviewable = ["in_review", "approved", "conflict", "failed"].includes(status);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {canMerge ? <DiscardDialog taskId={taskId} branch={props.branch} /> : null}
      {canReview && reviewable ? <RequestChangesDialog taskId={taskId} drafts={props.drafts} /> : null}
      {canReview && status === "conflict" ? (
        <ActionForm action={resolveAction} taskId={taskId}>
          {(state) => (
            <>
              <SubmitButton variant="secondary" pendingText="Queuing…">
                <Bot aria-hidden /> Ask the agent to resolve
              </SubmitButton>
              <FormError state={state} />
            </>
          )}
        </ActionForm>
      ) : null}
      {canReview && status === "in_review" ? (
        <ActionForm action={approveAction} taskId={taskId} className="grid gap-1">
          {(state) => (
            <>
              <SubmitButton
                pendingText="Approving…"
                title={
                  props.selfApprovalBlocked
                    ? "Your team requires someone else to approve a task you assigned."
                    : undefined
                }
              >
                <Check aria-hidden /> Approve
              </SubmitButton>
              <FormError state={state} />
            </>
          )}
        </ActionForm>
      ) : null}
      {canMerge && (status === "approved" || status === "conflict") ? (
        <MergeDialog
          taskId={taskId}
          baseBranch={props.baseBranch}
          strategy={props.strategy}
          canVerify={props.canVerify}
          retry={status === "conflict"}
        />
      ) : null}
    </div>
  );
}
