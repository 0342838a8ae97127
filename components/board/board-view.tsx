"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useMemo, useRef } from "react";
import {
  type BoardColumnId,
  type BoardTask,
  groupBoard,
  NARROWING_KEYS,
  parseBoardFilters,
} from "@/lib/tasks/board-columns";
import { cn } from "@/lib/utils";
import { BoardColumnView } from "./board-column";
import { BoardFiltersBar, type FilterOption, writeUrl } from "./board-filters";
import { boardQueryOptions } from "./board-query";
import { ClosedTaskList } from "./closed-task-list";
import { type OffScreenColumns, useOffScreenColumns } from "./use-off-screen-columns";

/**
 * A fade over the cut-off edge and a round button, halfway down it, that scrolls to the columns
 * beyond (named in its label and tooltip). Small enough to cover only the column already cut off.
 */
function MoreColumns({
  side,
  labels,
  onClick,
}: {
  side: keyof OffScreenColumns;
  labels: string[];
  onClick: () => void;
}) {
  if (labels.length === 0) return null;
  const Chevron = side === "left" ? ChevronLeft : ChevronRight;
  const label = `Scroll to ${labels.join(", ")}`;
  return (
    <div
      className={cn(
        "pointer-events-none absolute inset-y-0 flex w-14 items-center from-background to-transparent",
        side === "left" ? "left-0 justify-start bg-linear-to-r" : "right-0 justify-end bg-linear-to-l",
      )}
    >
      <button
        type="button"
        onClick={onClick}
        title={label}
        aria-label={label}
        data-testid={`more-columns-${side}`}
        className="pointer-events-auto grid size-8 place-items-center rounded-full border bg-surface text-foreground shadow-md hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring"
      >
        <Chevron className="size-4" aria-hidden />
      </button>
    </div>
  );
}

/** The live board: filters from the URL, data from the query cache, refetched on team changes. */
export function BoardView({
  options,
  limits,
}: {
  options: Record<"repo" | "agent" | "assigner" | "reviewer", FilterOption[]>;
  limits: Partial<Record<BoardColumnId, number>>;
}) {
  const searchParams = useSearchParams();
  const filters = useMemo(
    () => parseBoardFilters(Object.fromEntries(searchParams.entries())),
    [searchParams],
  );
  const {
    data: tasks = [],
    isFetching,
    error,
  } = useQuery({
    ...boardQueryOptions(filters),
    // The previous result stays while the next loads, within one view: the Closed list never shows the
    // open columns' tasks for a moment, or the reverse.
    placeholderData: (previous, query) =>
      query?.queryKey[1]?.state === filters.state ? keepPreviousData(previous) : undefined,
  });
  const filtered = NARROWING_KEYS.some((key) => filters[key]);

  return (
    <div aria-busy={isFetching} className="flex min-h-0 flex-1 flex-col">
      <BoardFiltersBar filters={filters} options={options} />
      {error ? (
        <p role="alert" className="mb-3 text-sm text-danger">
          Couldn't refresh the board: {error.message}
        </p>
      ) : null}
      {filters.state === "closed" ? (
        <ClosedTaskList
          tasks={tasks}
          filters={filters}
          narrowed={filtered}
          loading={isFetching}
          onShowMore={(limit) => writeUrl({ ...filters, limit: String(limit) })}
        />
      ) : (
        <OpenColumns tasks={tasks} filtered={filtered} limits={limits} />
      )}
    </div>
  );
}

/** The columns of open work (and merged tasks), with their off-screen scroll buttons. */
function OpenColumns({
  tasks,
  filtered,
  limits,
}: {
  tasks: BoardTask[];
  filtered: boolean;
  limits: Partial<Record<BoardColumnId, number>>;
}) {
  const columns = useMemo(() => groupBoard(tasks, limits), [tasks, limits]);
  const boardRef = useRef<HTMLElement>(null);
  const { hidden, scrollTo } = useOffScreenColumns(boardRef);
  return (
    <>
      {filtered && tasks.length === 0 ? (
        <p className="mb-3 text-sm text-muted-foreground" data-testid="no-match">
          No tasks match these filters. Clear them to see the whole board.
        </p>
      ) : null}
      <div className="relative min-h-0 flex-1">
        {/* Focusable so the keyboard can scroll it too (arrow keys) when the columns don't all fit. */}
        <section
          ref={boardRef}
          aria-label="Board columns"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
          tabIndex={0}
          className="flex h-full gap-1.5 overflow-x-auto overflow-y-hidden rounded-lg pb-2 focus-visible:outline-2 focus-visible:outline-ring"
          data-testid="board"
        >
          {columns.map((column) => (
            <BoardColumnView key={column.id} column={column} />
          ))}
        </section>
        <MoreColumns side="left" labels={hidden.left} onClick={() => scrollTo("left")} />
        <MoreColumns side="right" labels={hidden.right} onClick={() => scrollTo("right")} />
      </div>
    </>
  );
}
