"use client";

import { CircleCheck, CircleMinus, CircleX, GitMerge } from "lucide-react";
import Link from "next/link";
import { QueuedBadge } from "@/components/merge-queue/queued-badge";
import { formatDuration } from "@/components/runs/format";
import { RunStatusBadge, TaskStatusBadge } from "@/components/ui/status-badge";
import { formatUsd } from "@/lib/format";
import type { BoardCard, BoardColumnId, BoardOverlap, BoardTask } from "@/lib/tasks/board-columns";
import { waitingLabel, waitingRuns } from "@/lib/tasks/waiting-runs";
import { cn } from "@/lib/utils";
import { useNow } from "./use-now";
import { WaitingOn } from "./waiting-on";

function Elapsed({ card }: { card: BoardCard }) {
  const now = useNow();
  if (!card.startedAt) return <span className="text-muted-foreground">not started</span>;
  const end = card.finishedAt ? new Date(card.finishedAt).getTime() : now;
  return (
    <span className="tabular" title="Time the run has taken" suppressHydrationWarning>
      {formatDuration(Math.max(0, end - new Date(card.startedAt).getTime()))}
    </span>
  );
}

function Verification({ verify }: { verify: BoardCard["verify"] }) {
  if (verify === "pass")
    return (
      <span
        data-testid="verification"
        className="inline-flex items-center gap-0.5 text-emerald-700 dark:text-emerald-300"
        title="Tests passed"
      >
        <CircleCheck className="size-3.5" aria-hidden /> pass
      </span>
    );
  if (verify === "fail")
    return (
      <span
        data-testid="verification"
        className="inline-flex items-center gap-0.5 text-red-700 dark:text-red-300"
        title="Tests failed"
      >
        <CircleX className="size-3.5" aria-hidden /> fail
      </span>
    );
  return (
    <span
      data-testid="verification"
      className="inline-flex items-center gap-0.5 text-muted-foreground"
      title="Not verified yet"
    >
      <CircleMinus className="size-3.5" aria-hidden /> none
    </span>
  );
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join("") || "?"
  );
}

function RunLine({ card, showStatus }: { card: BoardCard; showStatus: boolean }) {
  return (
    <Link
      href={`/runs/${card.runId}`}
      className="-mx-1 grid grid-cols-[minmax(0,1fr)] gap-0.5 rounded px-1 py-1 text-xs hover:bg-muted"
      data-testid="board-run"
    >
      <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-0.5">
        <span className="min-w-0 max-w-full truncate font-medium text-foreground" title={card.agentName}>
          {card.agentName}
        </span>
        {showStatus ? <RunStatusBadge status={card.status} outcome={card.outcome} /> : null}
      </div>
      {/* Wraps rather than clips in a narrow column. */}
      <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-muted-foreground">
        <Elapsed card={card} />
        <span className="tabular" title="Cost so far">
          {card.unpriced ? "unpriced" : formatUsd(card.costUsd)}
        </span>
        <Verification verify={card.verify} />
        {card.unsandboxed ? (
          <span
            className="font-medium text-red-600 dark:text-red-400"
            title="Its commands ran without the OS sandbox (FOREMAN_SANDBOX=off)"
            data-testid="unsandboxed"
          >
            unsandboxed
          </span>
        ) : null}
      </div>
    </Link>
  );
}

/** "Overlaps #12 in src/a.ts: conflict predicted": the first overlap named, the others counted. */
export function overlapText(overlaps: BoardOverlap[]): string {
  const [first, ...rest] = overlaps;
  if (!first) return "";
  const files = first.files.length === 1 ? first.files[0] : `${first.files.length} files`;
  const more = rest.length > 0 ? ` (+${rest.length} more)` : "";
  return `Overlaps #${first.number} in ${files}${first.conflict ? ": conflict predicted" : ""}${more}`;
}

function BaseConflict({ conflict }: { conflict: BoardTask["baseConflict"] }) {
  if (!conflict) return null;
  const files = conflict.files.length === 1 ? conflict.files[0] : `${conflict.files.length} files`;
  return (
    <p
      data-testid="card-base-conflict"
      title={`${conflict.baseBranch} moved on; merging now would conflict in: ${conflict.files.join(", ")}`}
      className="flex min-w-0 items-start gap-1 text-xs text-amber-700 dark:text-amber-300"
    >
      <GitMerge className="mt-px size-3.5 shrink-0" aria-hidden />
      <span className="min-w-0 break-words">
        Conflicts with {conflict.baseBranch} in {files}
      </span>
    </p>
  );
}

function Overlaps({ overlaps }: { overlaps: BoardOverlap[] }) {
  if (overlaps.length === 0) return null;
  const conflict = overlaps.some((o) => o.conflict);
  const title = overlaps
    .map((o) => `#${o.number}: ${o.files.join(", ")}${o.conflict ? " (conflict predicted)" : ""}`)
    .join("\n");
  return (
    <p
      data-testid="card-overlap"
      title={title}
      className={cn(
        "flex min-w-0 items-start gap-1 text-xs",
        conflict ? "text-amber-700 dark:text-amber-300" : "text-muted-foreground",
      )}
    >
      <GitMerge className="mt-px size-3.5 shrink-0" aria-hidden />
      <span className="min-w-0 break-words">{overlapText(overlaps)}</span>
    </p>
  );
}

/**
 * A task on the board: its runs (one per agent it was assigned to) grouped under it. The column names
 * the status, so the card repeats it only where the column holds several (approved, conflict,
 * cancelled…); screen readers, which may reach a card without its column, always hear it. Relative,
 * so what is only for screen readers stays inside the scrolling board instead of widening the page.
 */
export function TaskCard({
  task,
  status,
  columnId,
}: {
  task: BoardTask;
  status: BoardTask["status"];
  columnId: BoardColumnId;
}) {
  const several = task.cards.length > 1;
  const statusShown = status !== columnId || columnId === "failed";
  return (
    <article
      aria-label={`#${task.number} ${task.title}`}
      data-testid="board-card"
      data-task-number={task.number}
      className="@container relative grid grid-cols-[minmax(0,1fr)] gap-1 rounded-md border bg-surface px-2.5 py-2 shadow-xs"
    >
      <Link
        href={`/tasks/${task.id}`}
        className="line-clamp-3 text-[13px] leading-snug hover:underline"
        title={task.title}
      >
        <span className="tabular mr-1 text-muted-foreground">#{task.number}</span>
        <span className="font-medium">{task.title}</span>
      </Link>
      {statusShown ? (
        <div className="flex flex-wrap gap-1">
          <TaskStatusBadge status={status} />
          {task.mergeQueue ? <QueuedBadge queue={task.mergeQueue} /> : null}
        </div>
      ) : (
        <>
          <TaskStatusBadge status={status} className="sr-only" />
          {task.mergeQueue ? (
            <div>
              <QueuedBadge queue={task.mergeQueue} />
            </div>
          ) : null}
        </>
      )}
      <div className="flex items-center gap-1.5 text-xs text-muted-foreground">
        <span className="min-w-0 flex-1 truncate font-mono" title={`Repository: ${task.repoName}`}>
          {task.repoName}
        </span>
        {task.reviewer ? (
          <span
            className="inline-flex min-w-0 shrink-0 items-center gap-1"
            title={`Reviewer: ${task.reviewer.name}`}
            data-testid="card-reviewer"
          >
            <span
              aria-hidden
              className="grid size-4 shrink-0 place-items-center rounded-full bg-violet-500/15 text-[9px] font-semibold text-violet-700 dark:text-violet-300"
            >
              {initials(task.reviewer.name)}
            </span>
            {/* The name only where the card has room; the initials and the tooltip otherwise. */}
            <span className="sr-only @[11rem]:not-sr-only @[11rem]:max-w-24 @[11rem]:truncate">
              {task.reviewer.name}
            </span>
          </span>
        ) : null}
      </div>
      {status === "needs_human"
        ? waitingRuns(task.cards.map((c) => ({ ...c, id: c.runId }))).map((card) => (
            <p
              key={card.runId}
              className="line-clamp-2 text-xs text-amber-800 dark:text-amber-200"
              title={card.outcomeReason ?? undefined}
              data-testid="needs-human-reason"
            >
              <span className="font-medium">{waitingLabel(card)}</span>
              {card.outcomeReason ? `: ${card.outcomeReason}` : ""}
            </p>
          ))
        : null}
      <div className={cn("grid", several && "gap-0.5 border-l-2 border-muted pl-1.5")}>
        {task.cards.map((card) => (
          <RunLine key={card.runId} card={card} showStatus={several} />
        ))}
      </div>
      <WaitingOn waitingOn={task.waitingOn} />
      <BaseConflict conflict={task.baseConflict} />
      <Overlaps overlaps={task.overlaps} />
    </article>
  );
}
