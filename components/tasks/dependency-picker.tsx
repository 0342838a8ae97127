"use client";

import { X } from "lucide-react";
import { useId, useState } from "react";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

export interface DependencyOption {
  id: string;
  number: number;
  title: string;
  repoName: string;
  baseBranch: string;
}

const SHOWN = 8;

/** Matches "#12", "12" (the number's start) or words of the title. */
function matches(option: DependencyOption, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const number = /^#?(\d+)$/.exec(q);
  if (number?.[1] && String(option.number).startsWith(number[1])) return true;
  return option.title.toLowerCase().includes(q.replace(/^#/, ""));
}

/**
 * "Depends on": a combobox over the team's open tasks, searchable by number or title. Arrow keys move,
 * Enter picks, Escape closes, Backspace in the empty box removes the last pick. Each pick is a hidden
 * `dependsOn` input, so the form posts the ids.
 */
export function DependencyPicker({
  options,
  initial,
  error,
}: {
  options: DependencyOption[];
  initial: string[];
  error?: string;
}) {
  const listId = useId();
  const [chosen, setChosen] = useState<string[]>(initial.filter((id) => options.some((o) => o.id === id)));
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const found = options.filter((o) => !chosen.includes(o.id) && matches(o, query)).slice(0, SHOWN);
  const current = found[Math.min(active, found.length - 1)];
  const pick = (id: string) => {
    setChosen([...chosen, id]);
    setQuery("");
    setActive(0);
  };
  const byId = new Map(options.map((o) => [o.id, o]));

  return (
    <div className="grid gap-1.5">
      <label htmlFor="dependsOn" className="text-sm font-medium">
        Depends on
      </label>
      {chosen.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Chosen dependencies">
          {chosen.map((id) => {
            const option = byId.get(id);
            return (
              <li
                key={id}
                className="inline-flex max-w-full items-center gap-1 rounded-md border bg-muted px-1.5 py-0.5 text-xs"
                data-testid="chosen-dependency"
              >
                <input type="hidden" name="dependsOn" value={id} />
                <span className="tabular text-muted-foreground">#{option?.number}</span>
                <span className="truncate">{option?.title}</span>
                <button
                  type="button"
                  className="rounded p-0.5 text-muted-foreground hover:bg-background hover:text-foreground"
                  aria-label={`Remove #${option?.number}`}
                  onClick={() => setChosen(chosen.filter((c) => c !== id))}
                >
                  <X className="size-3" aria-hidden />
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div className="relative">
        <Input
          id="dependsOn"
          role="combobox"
          aria-expanded={open && found.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && current ? `${listId}-${current.id}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "dependsOn-error" : "dependsOn-hint"}
          autoComplete="off"
          placeholder={
            options.length === 0 ? "No open tasks to wait on" : "Search open tasks by #number or title"
          }
          disabled={options.length === 0}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              setOpen(true);
              const step = event.key === "ArrowDown" ? 1 : -1;
              setActive((index) => (found.length ? (index + step + found.length) % found.length : 0));
            } else if (event.key === "Enter") {
              // Enter picks; it never submits the form from here.
              event.preventDefault();
              if (open && current) pick(current.id);
            } else if (event.key === "Escape" && open) {
              event.preventDefault();
              setOpen(false);
            } else if (event.key === "Backspace" && query === "" && chosen.length > 0) {
              setChosen(chosen.slice(0, -1));
            }
          }}
        />
        {open && found.length > 0 ? (
          <div
            id={listId}
            role="listbox"
            aria-label="Open tasks"
            className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border bg-surface p-1 shadow-md"
          >
            {found.map((option) => (
              <div
                key={option.id}
                id={`${listId}-${option.id}`}
                role="option"
                // Focus stays in the box (aria-activedescendant); -1 keeps the option out of the tab order.
                tabIndex={-1}
                aria-selected={option.id === current?.id}
                // Before the input's blur, so the click still finds the list open.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(option.id);
                }}
                onMouseEnter={() => setActive(found.indexOf(option))}
                className={cn(
                  "flex cursor-pointer items-baseline gap-2 rounded px-2 py-1 text-sm",
                  option.id === current?.id && "bg-muted",
                )}
              >
                <span className="tabular w-10 shrink-0 text-muted-foreground">#{option.number}</span>
                <span className="min-w-0 flex-1 truncate">{option.title}</span>
                <span className="shrink-0 font-mono text-xs text-muted-foreground">
                  {option.repoName}:{option.baseBranch}
                </span>
              </div>
            ))}
          </div>
        ) : null}
      </div>
      {error ? (
        <p id="dependsOn-error" className="text-xs text-danger" role="alert">
          {error}
        </p>
      ) : (
        <p id="dependsOn-hint" className="text-xs text-muted-foreground">
          Optional. The agent starts once these tasks have merged, from the updated base branch (same base
          branch only).
        </p>
      )}
    </div>
  );
}
