import { ExternalLink, TriangleAlert } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { formatDuration } from "@/components/runs/format";
import { Badge } from "@/components/ui/badge";
import { Markdown } from "@/components/ui/markdown";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { TimeAgo } from "@/components/ui/time-ago";
import { formatUsd } from "@/lib/format";
import type { ReviewData } from "@/lib/reviews/queries";
import { runKindLabel } from "@/lib/runs/kind";
import { type ReviewerChoice, ReviewerForm } from "./reviewer-form";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="border-b px-4 py-3 last:border-b-0">
      <h2 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">{title}</h2>
      {children}
    </section>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="tabular">{children}</dd>
    </div>
  );
}

function VerifyOutput({ output }: { output: string | null }) {
  if (!output) return null;
  return (
    <details>
      <summary className="cursor-pointer text-xs text-muted-foreground">Output</summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-muted p-2 font-mono text-[11px] leading-snug whitespace-pre-wrap">
        {output.slice(-6000)}
      </pre>
    </details>
  );
}

/** Who reviews: `choices` when the viewer may change it, otherwise just the name. */
export interface ReviewerInfo {
  current: ReviewerChoice | null;
  choices: ReviewerChoice[] | null;
}

/** Beside the diff: how the run went, what the agent says it did, and the review so far. */
export function ReviewSidebar({
  data,
  canReview,
  reviewer,
}: {
  data: ReviewData;
  canReview: boolean;
  reviewer: ReviewerInfo;
}) {
  const { run, task } = data;
  const duration =
    run?.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null;
  const lineRuns = data.lines.find((l) => l.branch === data.branch)?.runCount ?? 1;
  const agentOf = new Map(data.lines.map((l) => [l.branch, l.agentName]));
  return (
    <aside className="text-sm" aria-label="Run and review details">
      {task.status === "conflict" && task.conflictFiles?.length ? (
        <Section title="Merge conflict">
          <p className="mb-2 flex items-start gap-1.5 text-amber-700 dark:text-amber-300">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            Merging into {task.baseBranch} conflicts; {task.baseBranch} was left unchanged.
          </p>
          <ul className="grid gap-0.5 font-mono text-xs" data-testid="conflict-files">
            {task.conflictFiles.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      {task.status === "merged" && task.mergeSha ? (
        <Section title="Merged">
          <p>
            Into <span className="font-mono">{task.baseBranch}</span> as{" "}
            <span className="font-mono" data-testid="merge-sha">
              {task.mergeSha.slice(0, 7)}
            </span>
            {task.mergedAt ? (
              <>
                , <TimeAgo date={task.mergedAt} />
              </>
            ) : null}
          </p>
        </Section>
      ) : null}
      <Section title="Reviewer">
        {reviewer.choices && task.status !== "merged" && task.status !== "discarded" ? (
          <ReviewerForm taskId={task.id} current={reviewer.current?.id ?? null} choices={reviewer.choices} />
        ) : (
          <p className={reviewer.current ? undefined : "text-muted-foreground"}>
            {reviewer.current?.name ?? "Nobody named"}
          </p>
        )}
      </Section>
      {run ? (
        <Section title="Run">
          <div className="mb-2 flex items-center justify-between gap-2">
            <RunStatusBadge status={run.status} outcome={run.outcome} />
            <Link
              href={`/runs/${run.id}`}
              className="flex items-center gap-1 text-xs text-accent hover:underline"
            >
              Timeline <ExternalLink className="size-3" aria-hidden />
            </Link>
          </div>
          <dl className="grid gap-1">
            <Stat label="Kind">{runKindLabel(run.kind)}</Stat>
            <Stat label="Cost">{run.unpriced ? "unpriced" : formatUsd(run.costUsd)}</Stat>
            {lineRuns > 1 && lineRuns < data.runs.length ? (
              <Stat label={`This branch's ${lineRuns} runs`}>{formatUsd(data.lineCostUsd)}</Stat>
            ) : null}
            {data.runs.length > 1 ? (
              <Stat label={`All ${data.runs.length} runs`}>{formatUsd(data.totalCostUsd)}</Stat>
            ) : null}
            <Stat label="Duration">{duration === null ? "—" : formatDuration(duration)}</Stat>
            <Stat label="Steps">{run.steps}</Stat>
          </dl>
        </Section>
      ) : null}
      <Section title="Verification">
        {run && data.verificationTimedOut ? (
          <>
            <div className="mb-1.5 flex items-center gap-2">
              <Badge tone="danger" data-testid="verification">
                Timed out
              </Badge>
              <code className="truncate font-mono text-xs text-muted-foreground">
                {data.repo.testCommand}
              </code>
            </div>
            <p className="mb-1.5 text-xs text-muted-foreground">
              The test command was stopped before it finished; its result is unknown.
            </p>
            <VerifyOutput output={run.verifyOutput} />
          </>
        ) : run?.verifyExitCode === null || run?.verifyExitCode === undefined ? (
          <p className="text-muted-foreground">
            {data.repo.testCommand
              ? "The test command didn't run for this run."
              : "No test command is set for this repository."}
          </p>
        ) : (
          <>
            <div className="mb-1.5 flex items-center gap-2">
              <Badge tone={run.verifyExitCode === 0 ? "success" : "danger"} data-testid="verification">
                {run.verifyExitCode === 0 ? "Passed" : `Failed (exit ${run.verifyExitCode})`}
              </Badge>
              <code className="truncate font-mono text-xs text-muted-foreground">
                {data.repo.testCommand}
              </code>
            </div>
            <VerifyOutput output={run.verifyOutput} />
          </>
        )}
      </Section>
      <Section title="Agent's summary">
        {data.summary ? (
          <div className="break-words">
            <Markdown source={data.summary} />
          </div>
        ) : (
          <p className="text-muted-foreground">The run ended without a summary.</p>
        )}
      </Section>
      <Section title="Reviews">
        {data.reviews.length === 0 ? (
          <p className="text-muted-foreground">
            {canReview
              ? "No review yet. Comment on lines, then request changes or approve."
              : "No review yet. Developers and admins review and merge; you can read along."}
          </p>
        ) : (
          <ul className="grid gap-1.5">
            {data.reviews.map((r) => (
              <li key={r.id} className="grid gap-1" data-testid="review-entry">
                <div className="flex flex-wrap items-center gap-1.5 text-xs">
                  <Badge tone={r.decision === "approved" ? "success" : "warning"}>
                    {r.decision === "approved" ? "Approved" : "Changes requested"}
                  </Badge>
                  <span>{r.reviewerName}</span>
                  {data.lines.length > 1 && r.branch ? (
                    <span className="text-muted-foreground" title={r.branch}>
                      on {agentOf.get(r.branch) ?? r.branch}'s branch
                    </span>
                  ) : null}
                  {r.commentCount > 0 ? (
                    <span className="text-muted-foreground">
                      {r.commentCount} {r.commentCount === 1 ? "comment" : "comments"}
                    </span>
                  ) : null}
                  <span className="text-muted-foreground">
                    <TimeAgo date={r.createdAt} />
                  </span>
                </div>
                {r.body ? (
                  <p className="whitespace-pre-wrap break-words rounded bg-muted/60 px-2 py-1 text-xs">
                    {r.body}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </aside>
  );
}
