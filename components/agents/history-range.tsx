import Link from "next/link";
import { type MetricsRange, PRESETS } from "@/lib/metrics/range";
import { cn } from "@/lib/utils";

const LABELS = { "7d": "7 days", "30d": "30 days", "90d": "90 days" } as const;

/** The period of an agent's or a repository's history, in the URL (?range=7d) so a view can be linked. */
export function HistoryRange({ basePath, range }: { basePath: string; range: MetricsRange }) {
  return (
    <nav aria-label="History range" className="flex rounded-md bg-muted p-0.5">
      {PRESETS.map((preset) => {
        const active = range.range === preset;
        return (
          <Link
            key={preset}
            href={`${basePath}?range=${preset}`}
            aria-current={active ? "page" : undefined}
            scroll={false}
            className={cn(
              "rounded px-2.5 py-1 text-xs font-medium transition-colors",
              active ? "bg-surface text-foreground shadow-xs" : "text-muted-foreground hover:text-foreground",
            )}
          >
            {LABELS[preset]}
          </Link>
        );
      })}
    </nav>
  );
}
