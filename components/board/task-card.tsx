"use client";

import { CircleCheck, CircleMinus, CircleX } from "lucide-react";
import Link from "next/link";
import { formatDuration } from "@/components/runs/format";
import { RunStatusBadge, TaskStatusBadge } from "@/components/ui/status-badge";
import { formatUsd } from "@/lib/format";
import type { BoardCard, BoardTask } from "@/lib/tasks/board-columns";
import { cn } from "@/lib/utils";
import { useNow } from "./use-now";

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
      className="grid grid-cols-[minmax(0,1fr)] gap-1 rounded px-2 py-1.5 text-xs hover:bg-muted"
      data-testid="board-run"
    >
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-medium text-foreground">{card.agentName}</span>
        {showStatus ? <RunStatusBadge status={card.status} /> : null}
      </div>
      <div className="flex items-center gap-2.5 text-muted-foreground">
        <Elapsed card={card} />
        <span className="tabular" title="Cost so far">
          {card.unpriced ? "unpriced" : formatUsd(card.costUsd)}
        </span>
        <Verification verify={card.verify} />
      </div>
    </Link>
  );
}

/** A task on the board: its runs (one per agent it was assigned to) grouped under it. */
export function TaskCard({ task, status }: { task: BoardTask; status: BoardTask["status"] }) {
  const several = task.cards.length > 1;
  return (
    <article
      aria-label={`#${task.number} ${task.title}`}
      data-testid="board-card"
      data-task-number={task.number}
      className="grid grid-cols-[minmax(0,1fr)] gap-1 rounded-md border bg-surface p-2 shadow-xs"
    >
      <div className="flex items-start gap-1.5 px-1">
        <Link href={`/tasks/${task.id}`} className="min-w-0 flex-1 text-sm leading-snug hover:underline">
          <span className="tabular mr-1 text-muted-foreground">#{task.number}</span>
          <span className="font-medium">{task.title}</span>
        </Link>
      </div>
      <div className="flex flex-wrap items-center gap-1.5 px-1 text-xs text-muted-foreground">
        <TaskStatusBadge status={status} />
        <span className="min-w-0 truncate font-mono" title={`Repository: ${task.repoName}`}>
          {task.repoName}
        </span>
        {task.reviewer ? (
          <span className="ml-auto inline-flex items-center gap-1" title={`Reviewer: ${task.reviewer.name}`}>
            <span
              aria-hidden
              className="grid size-4 place-items-center rounded-full bg-violet-500/15 text-[9px] font-semibold text-violet-700 dark:text-violet-300"
            >
              {initials(task.reviewer.name)}
            </span>
            <span className="max-w-20 truncate">{task.reviewer.name}</span>
          </span>
        ) : null}
      </div>
      <div className={cn("grid", several && "gap-0.5 border-l-2 border-muted pl-1")}>
        {task.cards.map((card) => (
          <RunLine key={card.runId} card={card} showStatus={several} />
        ))}
      </div>
    </article>
  );
}
