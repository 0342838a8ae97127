"use client";

import { Check, ChevronDown, GitMerge, RotateCcw, Trash2 } from "lucide-react";
import { useState } from "react";
import {
  approveAction,
  discardAction,
  mergeAction,
  requestChangesAction,
} from "@/app/(dashboard)/tasks/[id]/review/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Textarea } from "@/components/ui/input";
import { ActionForm } from "./action-form";

export function RequestChangesDialog({
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

export function ApproveNoteDialog({
  taskId,
  runId,
  label,
  disabled,
}: {
  taskId: string;
  runId: string | null;
  label: string;
  disabled: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant="primary"
          className="rounded-l-none border-l border-l-white/25 px-1.5"
          aria-label="Add a note to the approval"
          title="Add a note to the approval"
          disabled={disabled}
        >
          <ChevronDown aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Approve with a note"
        description="The note is kept with the approval in the review history. Draft comments go with it as notes."
      >
        <ActionForm
          action={approveAction}
          taskId={taskId}
          runId={runId}
          onDone={() => setOpen(false)}
          className="grid gap-3"
        >
          {(state) => (
            <>
              <label htmlFor="approve-body" className="text-sm font-medium">
                Note <span className="text-muted-foreground">(optional)</span>
              </label>
              <Textarea
                id="approve-body"
                name="body"
                defaultValue={state.values?.body}
                placeholder="Looks good. Follow up on the flaky test separately."
                className="text-sm"
                onKeyDown={(event) => {
                  if (event.key === "Enter" && (event.metaKey || event.ctrlKey))
                    event.currentTarget.form?.requestSubmit();
                }}
              />
              <FormError
                state={state.fieldErrors?.body ? { ...state, error: state.fieldErrors.body } : state}
              />
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="secondary">
                    Cancel
                  </Button>
                </DialogClose>
                <SubmitButton pendingText="Approving…">
                  <Check aria-hidden /> {label}
                </SubmitButton>
              </div>
            </>
          )}
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}

export function MergeDialog({
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

export function DiscardDialog({ taskId, branches }: { taskId: string; branches: string[] }) {
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
