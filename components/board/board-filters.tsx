"use client";

import { Search, X } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { type BoardFilters, filtersToSearch, NARROWING_KEYS } from "@/lib/tasks/board-columns";
import { cn } from "@/lib/utils";

export interface FilterOption {
  id: string;
  name: string;
}

/** Writes the filters into the URL (shareable, kept on reload) without a server round trip. */
export function writeUrl(filters: BoardFilters) {
  window.history.replaceState(null, "", `${window.location.pathname}${filtersToSearch(filters)}`);
}

const SELECTS = [
  { key: "repo", label: "Repository", all: "All repositories", width: "max-w-40" },
  { key: "agent", label: "Agent", all: "All agents", width: "max-w-40" },
  // The longest label: a little wider so it isn't cut off at 1280 px.
  { key: "assigner", label: "Assigned by", all: "Anyone assigning", width: "max-w-44" },
  { key: "reviewer", label: "Reviewer", all: "Any reviewer", width: "max-w-40" },
] as const;

export function BoardFiltersBar({
  filters,
  options,
}: {
  filters: BoardFilters;
  options: Record<"repo" | "agent" | "assigner" | "reviewer", FilterOption[]>;
}) {
  const [text, setText] = useState(filters.q ?? "");
  // Typing updates the URL (and so the query) once the person pauses.
  useEffect(() => {
    if ((filters.q ?? "") === text) return;
    const timer = setTimeout(
      () => writeUrl({ ...filters, q: text.trim() || undefined, limit: undefined }),
      250,
    );
    // Clicking a link before the pause ends leaves the board: a URL write during that navigation would
    // cancel it and keep the person here, so the pending write is dropped (capture: before the router).
    const onClick = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest("a[href]")) clearTimeout(timer);
    };
    document.addEventListener("click", onClick, true);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("click", onClick, true);
    };
  }, [text, filters]);
  const active = NARROWING_KEYS.some((key) => filters[key]);
  const closed = filters.state === "closed";

  return (
    <search className="mb-3 flex flex-wrap items-center gap-2" aria-label="Filter the board">
      {/* Open: the columns; Closed: merged and discarded tasks, newest first. Filters carry over. */}
      <fieldset className="flex shrink-0 rounded-md border p-0.5" aria-label="Which tasks">
        {(
          [
            ["open", "Open"],
            ["closed", "Closed"],
          ] as const
        ).map(([value, label]) => {
          const pressed = (value === "closed") === closed;
          return (
            <button
              key={value}
              type="button"
              aria-pressed={pressed}
              onClick={() =>
                writeUrl({ ...filters, state: value === "closed" ? "closed" : undefined, limit: undefined })
              }
              className={cn(
                "rounded px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-ring",
                pressed ? "bg-muted text-foreground" : "text-muted-foreground hover:text-foreground",
              )}
            >
              {label}
            </button>
          );
        })}
      </fieldset>
      {/* The search takes what the selects leave, so the bar stays one line on a 1280 px laptop. */}
      <div className="relative max-w-72 min-w-40 flex-1">
        <Search
          className="pointer-events-none absolute top-2 left-2 size-4 text-muted-foreground"
          aria-hidden
        />
        <Input
          id="board-search"
          type="search"
          aria-label="Search tasks"
          placeholder="Title or #number"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") event.currentTarget.blur();
          }}
          className="pr-7 pl-8"
        />
        {/* The "/" shortcut, as a key, not as placeholder text that a narrow bar cuts off. */}
        {text ? null : (
          <kbd
            className="pointer-events-none absolute top-1.5 right-2 rounded border px-1 text-[10px] text-muted-foreground"
            aria-hidden
          >
            /
          </kbd>
        )}
      </div>
      {SELECTS.map(({ key, label, all, width }) => (
        <Select
          key={key}
          aria-label={label}
          value={filters[key] ?? ""}
          onChange={(event) =>
            writeUrl({ ...filters, [key]: event.target.value || undefined, limit: undefined })
          }
          className={cn("w-auto", width)}
        >
          <option value="">{all}</option>
          {options[key].map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
        </Select>
      ))}
      {active ? (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            setText("");
            // The view stays: clearing filters on Closed shows every closed task.
            writeUrl({ state: filters.state });
          }}
        >
          <X aria-hidden /> Clear filters
        </Button>
      ) : null}
    </search>
  );
}
