"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { type BoardColumnId, groupBoard, parseBoardFilters } from "@/lib/tasks/board-columns";
import { BoardColumnView } from "./board-column";
import { BoardFiltersBar, type FilterOption } from "./board-filters";
import { boardQueryOptions } from "./board-query";

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
    placeholderData: keepPreviousData,
  });
  const columns = useMemo(() => groupBoard(tasks, limits), [tasks, limits]);
  const filtered = Object.keys(filters).length > 0;

  return (
    <div aria-busy={isFetching}>
      <BoardFiltersBar filters={filters} options={options} />
      {error ? (
        <p role="alert" className="mb-3 text-sm text-danger">
          Couldn't refresh the board: {error.message}
        </p>
      ) : null}
      {filtered && tasks.length === 0 ? (
        <p className="mb-3 text-sm text-muted-foreground" data-testid="no-match">
          No tasks match these filters. Clear them to see the whole board.
        </p>
      ) : null}
      <div className="-mx-2 flex gap-3 overflow-x-auto px-2 pb-4" data-testid="board">
        {columns.map((column) => (
          <BoardColumnView key={column.id} column={column} />
        ))}
      </div>
    </div>
  );
}
