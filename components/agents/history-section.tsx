import { History } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { EntityHistory } from "@/lib/metrics/history";
import { HistoryKpis } from "./history-kpis";
import { HistoryRange } from "./history-range";
import { RecentRuns } from "./recent-runs";

const PERIOD = { "7d": "7 days", "30d": "30 days", "90d": "90 days", custom: "period" } as const;

/**
 * What an agent's or a repository's page leads with: its numbers for the chosen period (the Metrics page's
 * definitions) and its latest runs. `neverRan` teaches the first step when there is no run at all.
 */
export function HistorySection({
  history,
  basePath,
  other,
  neverRan,
}: {
  history: EntityHistory;
  basePath: string;
  /** The column the runs table adds: a repository's runs name their agent, an agent's their repository. */
  other: "agent" | "repo";
  neverRan: React.ReactNode;
}) {
  const period = PERIOD[history.range.range];
  const empty = history.recent.length === 0;
  return (
    <section aria-labelledby="history-heading" className="grid gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="history-heading" className="text-sm font-semibold">
          History <span className="font-normal text-muted-foreground">· last {period}</span>
        </h2>
        <HistoryRange basePath={basePath} range={history.range} />
      </div>
      {history.lastRunAt === null ? (
        neverRan
      ) : (
        <>
          <HistoryKpis history={history} />
          <Card>
            <CardHeader
              title="Recent runs"
              description={`The latest ${empty ? "" : `${history.recent.length} `}queued in the last ${period}, newest first.`}
              actions={
                empty ? null : (
                  <Link
                    href={history.runsHref}
                    className="text-xs text-muted-foreground hover:text-foreground hover:underline"
                  >
                    Every run of the period →
                  </Link>
                )
              }
            />
            {empty ? (
              <div className="p-4">
                <EmptyState
                  icon={History}
                  title={`No runs in the last ${period}`}
                  action={
                    history.range.range !== "90d" ? (
                      <Button asChild variant="secondary" size="sm">
                        <Link href={`${basePath}?range=90d`} scroll={false}>
                          Show 90 days
                        </Link>
                      </Button>
                    ) : null
                  }
                >
                  The last one was queued on{" "}
                  {history.lastRunAt.toLocaleDateString("en-US", {
                    year: "numeric",
                    month: "short",
                    day: "numeric",
                    timeZone: "UTC",
                  })}
                  . Widen the period to see it and the numbers around it.
                </EmptyState>
              </div>
            ) : (
              <RecentRuns runs={history.recent} other={other} />
            )}
          </Card>
        </>
      )}
    </section>
  );
}
