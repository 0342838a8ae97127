import { FileDiff, Loader2 } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OverlapList } from "@/components/conflicts/overlap-list";
import { MergeRefusalNotice } from "@/components/merge-queue/refusal-notice";
import { BranchSelector } from "@/components/review/branch-selector";
import { ReviewActions } from "@/components/review/review-actions";
import { type ReviewerInfo, ReviewSidebar } from "@/components/review/review-sidebar";
import { ReviewToolbar } from "@/components/review/review-toolbar";
import { ReviewWorkspace } from "@/components/review/review-workspace";
import { RunWatcher } from "@/components/review/run-watcher";
import { TaskWatcher } from "@/components/review/task-watcher";
import { BackLink } from "@/components/tasks/back-link";
import { NeedsHumanPanel } from "@/components/tasks/needs-human";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import { getDb } from "@/db";
import { ACTIVE_RUN_STATUSES } from "@/db/schema/run-statuses";
import { type Actor, can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { baseConflictsOf, overlapsOf } from "@/lib/conflicts/queries";
import { AppError } from "@/lib/errors";
import { listMembers } from "@/lib/members/service";
import { taskMergeState } from "@/lib/merge-queue/queries";
import { COMMENTABLE_STATUSES } from "@/lib/reviews/comments";
import { requiresIndependentApproval } from "@/lib/reviews/load";
import { getReview, type ReviewData } from "@/lib/reviews/queries";
import { taskVersion } from "@/lib/tasks/version";
import { waitingRuns } from "@/lib/tasks/waiting-runs";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ view?: string; since?: string; run?: string }>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const actor = await requireActor();
  const since = query.since === "last_review" ? "last_review" : "all";
  const view = query.view === "split" ? "split" : "unified";
  let data: ReviewData;
  try {
    data = await getReview(actor, id, { since, runId: query.run });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { task, run, diff } = data;
  const [baseConflicts, merging] = await Promise.all([
    baseConflictsOf(actor, [task.id]),
    taskMergeState(actor, task),
  ]);
  const canReview = can(actor, "tasks:review");
  // The chosen agent's branch is being worked on; with several agents, others may be too.
  const runActive = Boolean(run && ACTIVE_RUN_STATUSES.has(run.status));
  const anyRunActive = data.runs.some((r) => ACTIVE_RUN_STATUSES.has(r.status));
  const pinnedRun = query.run && run ? run.id : null;
  const stillApproved = task.status === "approved" || task.status === "conflict";
  const selfApprovalBlocked =
    task.assignedBy === actor.userId && (await requiresIndependentApproval(await getDb(), actor.teamId));
  const drafts = data.comments.filter((c) => c.status === "draft").length;
  // Archived work (a discarded task, an attempt closed by a promotion) is read-only.
  const commentable = canReview && COMMENTABLE_STATUSES.includes(task.status) && !runActive && !data.archived;

  return (
    // data-wide: the whole width, not the dashboard's reading width — a diff needs the screen.
    <div data-wide className="flex h-[calc(100dvh-3rem)] flex-col">
      <TaskWatcher taskId={task.id} version={taskVersion(task, data.runs)} />
      <BackLink href={`/tasks/${task.id}`}>Task #{task.number}</BackLink>
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="flex min-w-0 items-center gap-2">
          <span className="tabular text-lg text-muted-foreground">#{task.number}</span>
          <h1 className="truncate text-lg font-semibold tracking-tight">Review: {task.title}</h1>
          <TaskStatusBadge status={task.status} />
        </div>
        <div className="ml-auto">
          <ReviewActions
            taskId={task.id}
            status={task.status}
            drafts={drafts}
            canReview={canReview}
            canMerge={can(actor, "tasks:merge")}
            runActive={runActive}
            anyRunActive={anyRunActive}
            runId={run?.id ?? null}
            approvedBranch={stillApproved ? data.approvedBranch : null}
            otherBranches={data.lines.map((l) => l.branch).filter((b) => b !== data.branch)}
            baseBranch={task.baseBranch}
            branch={run?.branch ?? ""}
            strategy={data.repo.mergeStrategy}
            canVerify={Boolean(data.repo.testCommand)}
            selfApprovalBlocked={selfApprovalBlocked}
            hasChanges={data.hasChanges}
            queued={merging.queued}
          />
        </div>
      </div>
      {merging.refusal ? <MergeRefusalNotice refusal={merging.refusal} baseBranch={task.baseBranch} /> : null}
      {task.status === "needs_human" ? (
        <NeedsHumanPanel
          taskId={task.id}
          runs={waitingRuns(data.runs).map((r) => ({
            id: r.id,
            branch: r.branch,
            outcome: r.outcome,
            outcomeReason: r.outcomeReason,
            stopReason: r.stopReason,
          }))}
          canAnswer={canReview}
        />
      ) : null}
      {runActive && run ? (
        <div className="mb-3 flex items-center gap-2 rounded-md border border-blue-500/30 bg-blue-500/8 px-3 py-2 text-sm">
          <Loader2 className="size-4 animate-spin text-blue-600" aria-hidden />
          The agent is working on this task; the diff below is its branch as of now.
          <Link href={`/runs/${run.id}`} className="font-medium text-accent hover:underline">
            Watch the run
          </Link>
          <RunWatcher runId={run.id} afterSeq={run.lastSeq} />
        </div>
      ) : null}
      {data.lines.length > 1 ? (
        <BranchSelector
          choices={data.lines.map((l) => ({ ...l, approved: l.approved && stillApproved }))}
          selected={data.branch}
          merged={task.mergedBranch}
          href={(runId) => `/tasks/${task.id}/review?run=${runId}${view === "split" ? "&view=split" : ""}`}
          compareHref={`/tasks/${task.id}/compare`}
        />
      ) : null}
      <ReviewToolbar
        taskId={task.id}
        runId={pinnedRun}
        view={view}
        since={data.since}
        canCompare={Boolean(data.lastReview) && !task.mergeSha}
        baseBranch={task.baseBranch}
        branch={task.mergeSha ? null : (run?.branch ?? null)}
        drafts={drafts}
        canComment={commentable}
      />
      <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_18rem] gap-4">
        <Card className="flex min-h-0 flex-col overflow-hidden">
          {data.archived ? (
            <p
              className="border-b bg-muted px-4 py-2 text-xs text-muted-foreground"
              data-testid="archived-diff"
            >
              {data.archived.closedBy
                ? `Closed when ${data.archived.closedBy} was promoted: this is the attempt's final diff, kept in Foreman's archive`
                : "Discarded: this is the branch's final diff, kept in Foreman's archive"}
              {data.archived.keptUntil
                ? ` until ${data.archived.keptUntil.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })}`
                : ""}
              . An admin sets how long in Settings → General.
            </p>
          ) : null}
          {diff ? (
            <div className="min-h-0 flex-1">
              <ReviewWorkspace
                key={`${view}-${data.since}-${data.branch}`}
                taskId={task.id}
                runId={run?.id ?? null}
                headSha={diff.toSha}
                files={diff.files}
                patch={diff.patch}
                comments={data.comments}
                view={view}
                canComment={commentable}
                viewer={{ id: actor.userId, isAdmin: actor.role === "admin" }}
              />
            </div>
          ) : (
            <div className="p-6">
              <EmptyState
                icon={FileDiff}
                title={data.diffError ? (data.diffGone ?? "The diff can't be read") : "Nothing to review yet"}
              >
                {data.diffError ??
                  "The agent hasn't pushed any changes for this task yet. Its branch appears here when the run ends."}
              </EmptyState>
            </div>
          )}
        </Card>
        <Card className="min-h-0 overflow-y-auto">
          <OverlapList
            taskId={task.id}
            canResolve={canReview}
            overlaps={(await overlapsOf(actor, [task.id])).get(task.id) ?? []}
            baseConflict={(() => {
              const files = baseConflicts.get(task.id);
              return files && !task.mergeSha ? { baseBranch: task.baseBranch, files } : null;
            })()}
            className="border-b px-4 py-3"
          />
          <ReviewSidebar
            data={data}
            canReview={canReview}
            reviewer={await reviewerInfo(actor, task.reviewerId)}
          />
        </Card>
      </div>
    </div>
  );
}

/** The reviewer's name and, for those who may change it, everyone who may review. */
async function reviewerInfo(actor: Actor, reviewerId: string | null): Promise<ReviewerInfo> {
  const members = await listMembers(actor);
  const name = (m: (typeof members)[number]) => m.name || m.email;
  const found = members.find((m) => m.userId === reviewerId);
  const current = reviewerId ? { id: reviewerId, name: found ? name(found) : "Former member" } : null;
  if (!can(actor, "tasks:assign")) return { current, choices: null };
  const choices = members.filter((m) => m.role !== "viewer").map((m) => ({ id: m.userId, name: name(m) }));
  return { current, choices };
}
