import Link from "next/link";
import { Button } from "@/components/ui/button";
import type { Attempt } from "@/lib/compare/queries";
import { cn } from "@/lib/utils";

/** Which diff the page shows: one attempt's (against the base), or the one between two attempts. */
export type CompareShown = { kind: "attempt"; index: number } | { kind: "between"; a: number; b: number };

/**
 * The choice lives in the URL, like the review page's view: links for each attempt, and a plain GET form
 * for the pair (it works without JavaScript and from the keyboard).
 */
export function DiffTabs({
  taskId,
  attempts,
  shown,
}: {
  taskId: string;
  attempts: Attempt[];
  shown: CompareShown;
}) {
  const pair = shown.kind === "between" ? shown : { a: 1, b: 2 };
  const tab = "flex items-center gap-1.5 rounded px-2 py-1 text-xs font-medium";
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b px-4 py-2">
      <nav aria-label="Attempt diffs" className="flex flex-wrap gap-0.5 rounded-md bg-muted p-0.5">
        {attempts.map((a) => {
          const active = shown.kind === "attempt" && shown.index === a.index;
          return (
            <Link
              key={a.branch}
              href={`/tasks/${taskId}/compare?show=${a.index}`}
              replace
              scroll={false}
              aria-current={active ? "true" : undefined}
              className={cn(
                tab,
                active
                  ? "bg-surface text-foreground shadow-xs"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              Attempt {a.index}
              <span className="font-normal">{a.agentName}</span>
            </Link>
          );
        })}
      </nav>
      <form
        method="get"
        action={`/tasks/${taskId}/compare`}
        className="flex items-center gap-1.5 text-xs"
        aria-label="Diff between two attempts"
      >
        <span className={cn(shown.kind === "between" ? "font-medium" : "text-muted-foreground")}>
          Between
        </span>
        <AttemptSelect name="a" label="From attempt" attempts={attempts} value={pair.a} />
        <span className="text-muted-foreground">and</span>
        <AttemptSelect name="b" label="To attempt" attempts={attempts} value={pair.b} />
        <Button type="submit" size="sm" variant={shown.kind === "between" ? "secondary" : "ghost"}>
          Show diff
        </Button>
      </form>
    </div>
  );
}

function AttemptSelect({
  name,
  label,
  attempts,
  value,
}: {
  name: string;
  label: string;
  attempts: Attempt[];
  value: number;
}) {
  return (
    <select
      name={name}
      aria-label={label}
      defaultValue={String(value)}
      className="h-7 max-w-52 truncate rounded-md border bg-surface px-1.5 text-xs"
    >
      {attempts.map((a) => (
        <option key={a.branch} value={a.index}>
          Attempt {a.index} ({a.agentName})
        </option>
      ))}
    </select>
  );
}
