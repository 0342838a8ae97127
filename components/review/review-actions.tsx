"use client";

import { Bot, Check } from "lucide-react";
import { approveAction, resolveAction } from "@/app/(dashboard)/tasks/[id]/review/actions";
import { QueuedBadge } from "@/components/merge-queue/queued-badge";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import type { TaskStatus } from "@/db/schema/tasks";
import { ActionForm, NoticeContext, useNoticeAfterRefresh } from "./action-form";
import { ApproveNoteDialog, DiscardDialog, MergeDialog, RequestChangesDialog } from "./review-dialogs";

interface ReviewActionsProps {
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
}

export function ReviewActions(props: ReviewActionsProps) {
  const announce = useNoticeAfterRefresh(props.status);
  return (
    <NoticeContext value={announce}>
      <Actions {...props} />
    </NoticeContext>
  );
}

function Actions(props: ReviewActionsProps) {
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
        // The note's dialog sits beside the form, not in it: its own form must not nest in this one.
        <div className="flex items-start">
          <ActionForm action={approveAction} taskId={taskId} runId={runId} className="grid gap-1">
            {(state) => (
              <>
                <SubmitButton
                  pendingText="Approving…"
                  disabled={Boolean(waiting)}
                  className="rounded-r-none"
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
          <ApproveNoteDialog
            taskId={taskId}
            runId={runId}
            label={canSwitch ? "Approve this branch instead" : "Approve"}
            disabled={Boolean(waiting)}
          />
        </div>
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
