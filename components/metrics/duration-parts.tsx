import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDuration } from "@/lib/metrics/format";
import type { GroupMetrics } from "@/lib/metrics/group-metrics";
import { Defined } from "./definition";

const PARTS = [
  { key: "avgQueueMs", label: "Queue wait", color: "#94a3b8" },
  { key: "avgModelMs", label: "Model", color: "#6366f1" },
  { key: "avgToolMs", label: "Tools (bash, editor)", color: "#0ea5e9" },
  { key: "avgHumanMs", label: "Human wait (approvals)", color: "#f59e0b" },
] as const;

/**
 * Where a run's time goes, on average over the runs of the period that ran: queue wait, model, tools and
 * waiting for a person's approval. The rest of the wall time is the engine's own work (git, verification).
 */
export function DurationParts({ total, runsHref }: { total: GroupMetrics; runsHref: string }) {
  const values = PARTS.map((part) => total.duration[part.key] ?? 0);
  const sum = values.reduce((a, b) => a + b, 0);
  return (
    <Card data-testid="duration-parts">
      <CardHeader
        title="Where the time goes"
        description={
          <Defined name="durationParts">
            Average per run, over the {total.finishedRuns} run{total.finishedRuns === 1 ? "" : "s"} that ran
          </Defined>
        }
      />
      <div className="grid gap-3 px-4 py-3 text-sm">
        {sum > 0 ? (
          <div className="flex h-2.5 overflow-hidden rounded-full bg-muted" aria-hidden>
            {PARTS.map((part, i) => (
              <div
                key={part.key}
                style={{ width: `${((values[i] ?? 0) / sum) * 100}%`, backgroundColor: part.color }}
              />
            ))}
          </div>
        ) : null}
        <dl className="grid grid-cols-[1fr_max-content] gap-x-6 gap-y-1.5">
          {PARTS.map((part) => (
            <div key={part.key} className="contents">
              <dt className="flex items-center gap-2 text-muted-foreground">
                <span aria-hidden className="size-2.5 rounded-sm" style={{ backgroundColor: part.color }} />
                {part.label}
              </dt>
              <dd className="text-right tabular-nums">
                <Link href={runsHref} className="hover:underline" data-part={part.key}>
                  {formatDuration(total.duration[part.key])}
                </Link>
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </Card>
  );
}
