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
import { QueuedBadge } from "@/components/merge-queue/queued-badge";
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
  runId,
  children,
  onDone,
  className,
}: {
  action: Action;
  taskId: string;
  /** The agent's branch the page shows (any run of it): the decision acts on it. */
  runId?: string | null;
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
      {runId ? <input type="hidden" name="runId" value={runId} /> : null}
      {children(state)}
    </form>
  );
}

function RequestChangesDialog({
  taskId,
  runId,
  drafts,
}: {
  taskId: string;
  runId: string | null;
  drafts: number;
}) {
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
          runId={runId}
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
  runId,
  branch,
  otherBranches,
  baseBranch,
  strategy,
  canVerify,
  retry,
  blocked,
}: {
  taskId: string;
  runId: string | null;
  branch: string;
  otherBranches: string[];
  baseBranch: string;
  strategy: "merge" | "squash";
  canVerify: boolean;
  retry: boolean;
  blocked: string | null;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant={retry ? "secondary" : "primary"}
          disabled={Boolean(blocked)}
          title={blocked ?? undefined}
        >
          <GitMerge aria-hidden /> {retry ? "Try merging again" : "Merge"}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Merge into ${baseBranch}`}
        description={
          <>
            {strategy === "squash" ? "One squashed commit of " : "A merge commit of "}
            <span className="font-mono">{branch}</span> on {baseBranch}, pushed to the repository. If it
            conflicts, {baseBranch} stays as it is.
          </>
        }
      >
        <ActionForm
          action={mergeAction}
          taskId={taskId}
          runId={runId}
          onDone={() => setOpen(false)}
          className="grid gap-3"
        >
          {(state) => (
            <>
              {otherBranches.length > 0 ? (
                <p
                  className="rounded-md border border-amber-500/30 bg-amber-500/8 px-3 py-2 text-sm"
                  data-testid="closes-branches"
                >
                  Only this agent's work is merged. The other{" "}
                  {otherBranches.length === 1
                    ? "agent's branch is"
                    : `${otherBranches.length} agents' branches are`}{" "}
                  closed and deleted from the repository:{" "}
                  {otherBranches.map((b, i) => (
                    <span key={b}>
                      {i > 0 ? ", " : ""}
                      <span className="font-mono">{b}</span>
                    </span>
                  ))}
                  .
                </p>
              ) : null}
              {canVerify ? (
                <>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="verify" className="size-4 accent-[var(--color-accent)]" />
                    Run the repository's tests on the merged result first
                  </label>
                  <p className="-mt-1 pl-6 text-xs text-muted-foreground">
                    When the branch's own tests passed they run anyway, and the merge is refused only if they
                    fail once merged.
                  </p>
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="fixOnFailure"
                      className="size-4 accent-[var(--color-accent)]"
                    />
                    If the tests fail once merged, ask the agent to fix it
                  </label>
                </>
              ) : null}
              <p className="text-xs text-muted-foreground">
                Merges into {baseBranch} land one at a time: if another is landing, this one waits its turn in
                the merge queue.
              </p>
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

function DiscardDialog({ taskId, branches }: { taskId: string; branches: string[] }) {
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
            The task closes without merging and {branches.length === 1 ? "its branch" : "its branches"}{" "}
            {branches.map((b, i) => (
              <span key={b}>
                {i > 0 ? ", " : ""}
                <span className="font-mono">{b}</span>
              </span>
            ))}{" "}
            {branches.length === 1 ? "is" : "are"} deleted from the repository. This can't be undone.
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
  /** The shown branch's agent is working on it. */
  runActive: boolean;
  /** Any agent of the task is working: approving and merging wait for every run to end. */
  anyRunActive: boolean;
  runId: string | null;
  /** The branch approved while the task is approved or in conflict (with several agents, maybe another). */
  approvedBranch: string | null;
  otherBranches: string[];
  baseBranch: string;
  branch: string;
  strategy: "merge" | "squash";
  canVerify: boolean;
  selfApprovalBlocked: boolean;
  /** The branch holds changes against its base: an empty branch is never offered for approval or merge. */
  hasChanges: boolean;
  /** Its place in the base branch's merge queue while it waits or lands: no Merge button meanwhile. */
  queued?: { status: "waiting" | "landing"; position: number; baseBranch: string } | null;
}) {
  const { taskId, status, canReview, canMerge, runActive, runId } = props;
  const closed = status === "merged" || status === "discarded";
  if (closed || runActive) return null;
  const reviewable = ["in_review", "approved", "conflict", "failed", "needs_human"].includes(status);
  const isApproved = !props.approvedBranch || props.approvedBranch === props.branch;
  // With several agents, approving another agent's branch moves the approval to it.
  const canSwitch = (status === "approved" || status === "conflict") && !isApproved;
  const waiting = props.anyRunActive
    ? "Another agent is still working on this task: approve or merge once every run has ended."
    : null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {waiting && canReview ? (
        <span className="max-w-72 text-xs text-muted-foreground" data-testid="actions-waiting">
          {waiting}
        </span>
      ) : null}
      {canMerge ? <DiscardDialog taskId={taskId} branches={[props.branch, ...props.otherBranches]} /> : null}
      {canReview && reviewable ? (
        <RequestChangesDialog taskId={taskId} runId={runId} drafts={props.drafts} />
      ) : null}
      {canReview && status === "conflict" && isApproved ? (
        <ActionForm action={resolveAction} taskId={taskId} runId={runId}>
          {(state) => (
            <>
              <SubmitButton variant="secondary" pendingText="Queuing…" disabled={Boolean(waiting)}>
                <Bot aria-hidden /> Ask the agent to resolve
              </SubmitButton>
              <FormError state={state} />
            </>
          )}
        </ActionForm>
      ) : null}
      {canReview && props.hasChanges && (status === "in_review" || status === "needs_human" || canSwitch) ? (
        <ActionForm action={approveAction} taskId={taskId} runId={runId} className="grid gap-1">
          {(state) => (
            <>
              <SubmitButton
                pendingText="Approving…"
                disabled={Boolean(waiting)}
                title={
                  props.selfApprovalBlocked
                    ? "Your team requires someone else to approve a task you assigned."
                    : undefined
                }
              >
                <Check aria-hidden /> {canSwitch ? "Approve this branch instead" : "Approve"}
              </SubmitButton>
              <FormError state={state} />
            </>
          )}
        </ActionForm>
      ) : null}
      {props.queued ? <QueuedBadge queue={props.queued} className="px-2 py-1.5 text-sm" /> : null}
      {canMerge &&
      !props.queued &&
      props.hasChanges &&
      (status === "approved" || status === "conflict") &&
      isApproved ? (
        <MergeDialog
          taskId={taskId}
          runId={runId}
          branch={props.branch}
          otherBranches={props.otherBranches}
          baseBranch={props.baseBranch}
          strategy={props.strategy}
          canVerify={props.canVerify}
          retry={status === "conflict"}
          blocked={waiting}
        />
      ) : null}
    </div>
  );
}
