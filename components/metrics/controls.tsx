import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { GROUP_BYS, isoDay, type MetricsRange, PRESETS } from "@/lib/metrics/range";
import { cn } from "@/lib/utils";

const GROUP_LABELS = { agent: "Agent", model: "Model", repo: "Repository", person: "Person" } as const;
const PRESET_LABELS = { "7d": "7 days", "30d": "30 days", "90d": "90 days" } as const;

function Segment({
  href,
  active,
  children,
  testId,
}: {
  href: string;
  active: boolean;
  children: React.ReactNode;
  testId: string;
}) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      data-testid={testId}
      className={cn(
        "rounded px-2.5 py-1 text-xs font-medium transition-colors",
        active ? "bg-surface text-foreground shadow-xs" : "text-muted-foreground hover:text-foreground",
      )}
    >
      {children}
    </Link>
  );
}

/** Range and grouping live in the URL: every view can be linked and reloaded. */
export function MetricsControls({ range }: { range: MetricsRange }) {
  const last = isoDay(new Date(range.to.getTime() - 86_400_000));
  return (
    <div className="flex flex-wrap items-center gap-3">
      <nav aria-label="Time range" className="flex rounded-md bg-muted p-0.5">
        {PRESETS.map((preset) => (
          <Segment
            key={preset}
            href={`/metrics?range=${preset}&group=${range.groupBy}`}
            active={range.range === preset}
            testId={`range-${preset}`}
          >
            {PRESET_LABELS[preset]}
          </Segment>
        ))}
      </nav>
      <form method="get" action="/metrics" className="flex items-center gap-1.5" aria-label="Custom range">
        <input type="hidden" name="group" value={range.groupBy} />
        <Input
          type="date"
          name="from"
          aria-label="From"
          defaultValue={isoDay(range.from)}
          className="h-7 w-36 text-xs"
          required
        />
        <span className="text-xs text-muted-foreground">to</span>
        <Input
          type="date"
          name="to"
          aria-label="To"
          defaultValue={last}
          className="h-7 w-36 text-xs"
          required
        />
        <Button type="submit" size="sm" variant={range.range === "custom" ? "primary" : "secondary"}>
          Apply
        </Button>
      </form>
      <nav aria-label="Group by" className="ml-auto flex items-center gap-1.5">
        <span className="text-xs text-muted-foreground">Group by</span>
        <div className="flex rounded-md bg-muted p-0.5">
          {GROUP_BYS.map((group) => {
            const params = new URLSearchParams(
              range.range === "custom" ? { from: isoDay(range.from), to: last } : { range: range.range },
            );
            params.set("group", group);
            return (
              <Segment
                key={group}
                href={`/metrics?${params}`}
                active={range.groupBy === group}
                testId={`group-${group}`}
              >
                {GROUP_LABELS[group]}
              </Segment>
            );
          })}
        </div>
      </nav>
    </div>
  );
}
