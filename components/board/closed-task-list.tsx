"use client";

import { Archive } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatExact, formatRelative, formatUsd } from "@/lib/format";
import {
  type BoardFilters,
  type BoardTask,
  CLOSED_MAX,
  CLOSED_PAGE,
  closedLimit,
} from "@/lib/tasks/board-columns";

/** The task's agents, each named once (a task with several agents has a card per branch). */
function agentNames(task: BoardTask): string {
  return [...new Set(task.cards.map((c) => c.agentName))].join(", ") || "—";
}

function Closed({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="text-muted-foreground">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={formatExact(date)} className="tabular" suppressHydrationWarning>
      {formatRelative(date)}
    </time>
  );
}

/**
 * The board's Closed view: merged and discarded tasks, most recently closed first, a page at a time. A
 * discarded task's final diff stays readable on its review page for the team's retention period.
 */
export function ClosedTaskList({
  tasks,
  filters,
  narrowed,
  onShowMore,
  loading,
}: {
  tasks: BoardTask[];
  filters: BoardFilters;
  narrowed: boolean;
  onShowMore: (limit: number) => void;
  loading: boolean;
}) {
  const limit = closedLimit(filters);
  if (tasks.length === 0) {
    return (
      <EmptyState icon={Archive} title={narrowed ? "No closed tasks match" : "No closed tasks yet"}>
        {narrowed
          ? "Clear the filters, or search for a task by its number (#12) to find it wherever it is."
          : "Tasks land here once they are merged or discarded, newest first. A discarded task's final diff stays readable on its review page for as long as an admin sets in Settings → General."}
      </EmptyState>
    );
  }
  return (
    <div className="min-h-0 overflow-y-auto rounded-lg border bg-surface" data-testid="closed-tasks">
      <Table>
        <thead className="sticky top-0 bg-surface">
          <tr>
            <Th>Task</Th>
            <Th>Status</Th>
            <Th>Repository</Th>
            <Th>Agents</Th>
            <Th className="text-right">Cost</Th>
            <Th>Closed</Th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const cost = task.cards.reduce((sum, c) => sum + c.costUsd, 0);
            const unpriced = task.cards.some((c) => c.unpriced);
            return (
              <tr
                key={task.id}
                data-testid="closed-task"
                data-task-number={task.number}
                className="hover:bg-muted/50"
              >
                <Td className="w-2/5 max-w-0">
                  <Link
                    href={task.status === "discarded" ? `/tasks/${task.id}/review` : `/tasks/${task.id}`}
                    className="block truncate hover:underline"
                    title={task.title}
                  >
                    <span className="tabular mr-1.5 text-muted-foreground">#{task.number}</span>
                    <span className="font-medium">{task.title}</span>
                  </Link>
                </Td>
                <Td>
                  <TaskStatusBadge status={task.status} />
                </Td>
                <Td className="whitespace-nowrap font-mono text-xs text-muted-foreground">{task.repoName}</Td>
                <Td className="whitespace-nowrap text-xs">{agentNames(task)}</Td>
                <Td className="tabular text-right text-xs">
                  {formatUsd(Math.round(cost * 1e6) / 1e6)}
                  {unpriced ? <span title="A run had no price: this is a lower bound">+</span> : null}
                </Td>
                <Td className="whitespace-nowrap text-xs text-muted-foreground">
                  <Closed at={task.closedAt ?? task.updatedAt} />
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <div className="flex items-center justify-between gap-3 px-4 py-2 text-xs text-muted-foreground">
        <span className="tabular">
          {tasks.length} closed task{tasks.length === 1 ? "" : "s"}
          {tasks.length < limit ? "" : " shown"}
        </span>
        {tasks.length >= limit && limit < CLOSED_MAX ? (
          <button
            type="button"
            className="rounded px-2 py-1 font-medium text-foreground hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-50"
            onClick={() => onShowMore(Math.min(CLOSED_MAX, limit + CLOSED_PAGE))}
            disabled={loading}
          >
            {loading ? "Loading…" : "Show more"}
          </button>
        ) : null}
      </div>
    </div>
  );
}
