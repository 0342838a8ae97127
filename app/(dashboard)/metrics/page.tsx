import { ChartColumn, Download } from "lucide-react";
import type { Metadata } from "next";
import { after } from "next/server";
import { MetricsCharts } from "@/components/metrics/charts";
import { MetricsControls } from "@/components/metrics/controls";
import { Defined } from "@/components/metrics/definition";
import { DurationParts } from "@/components/metrics/duration-parts";
import { KpiTiles } from "@/components/metrics/kpi-tiles";
import { GroupTable } from "@/components/metrics/leaderboard";
import { MergeQueueCard } from "@/components/metrics/merge-queue-card";
import { ParallelWorkCard } from "@/components/metrics/parallel-work";
import { OpenReviews, ReviewPanel } from "@/components/metrics/review-panel";
import { SpendCapForm } from "@/components/metrics/spend-cap-form";
import { SpendMeter } from "@/components/metrics/spend-meter";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { type MetricsRange, rangeFromSearchParams, rangeSearch } from "@/lib/metrics/range";
import { compactMetricsDays } from "@/lib/metrics/rollup/compact";
import { getMetrics } from "@/lib/metrics/service";
import { spendCapStatus } from "@/lib/metrics/spend-cap";

export const metadata: Metadata = { title: "Metrics" };

const GROUP_NAMES = { agent: "agent", model: "model", repo: "repository", person: "person who assigned" };

export default async function MetricsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const params = await searchParams;
  // A hand-edited URL with a bad range falls back to the default period and says why.
  let rangeError: string | null = null;
  let range: MetricsRange;
  try {
    range = rangeFromSearchParams(params);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    rangeError = error.message;
    range = rangeFromSearchParams({ group: params.group });
  }
  const [metrics, spend] = await Promise.all([
    getMetrics(actor, {
      range: range.range === "custom" ? undefined : range.range,
      from: range.range === "custom" ? range.from.toISOString().slice(0, 10) : undefined,
      to:
        range.range === "custom"
          ? new Date(range.to.getTime() - 86_400_000).toISOString().slice(0, 10)
          : undefined,
      groupBy: range.groupBy,
    }),
    spendCapStatus(actor.teamId),
  ]);
  // Compaction of the rollup's dirty days before today happens after the response: the numbers never wait
  // for it (reads recompute dirty days), only later pages get faster.
  after(() =>
    compactMetricsDays(actor.teamId).catch((error) => console.error("[metrics] compaction:", error)),
  );
  const runsHref = (extra: Record<string, string | undefined>) =>
    `/metrics/runs?${rangeSearch(range, extra)}`;
  const agentRunsHref = (key: string, extra: Record<string, string | undefined> = {}) =>
    `/metrics/runs?${rangeSearch({ ...range, groupBy: "agent" }, { key, ...extra })}`;
  const groupRunsHref = (key: string, extra: Record<string, string | undefined> = {}) =>
    runsHref({ key, ...extra });
  const nothing = metrics.total.runs === 0 && metrics.previous.runs === 0 && metrics.openReviews.length === 0;
  const spendCard = (
    <Card data-testid="spend-this-month">
      <CardHeader
        title="Spend this month"
        description={<Defined name="spendCap">Month to date, live, against the team's cap</Defined>}
      />
      <div className="grid gap-3 px-4 py-3">
        <SpendMeter initial={spend} />
        {can(actor, "settings:manage") ? <SpendCapForm capUsd={spend.capUsd} /> : null}
      </div>
    </Card>
  );

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Metrics"
        description="Cost, duration, success rate and review turnaround."
        actions={
          <Button asChild variant="secondary" size="sm">
            <a href={`/api/metrics/runs.csv?${rangeSearch(range)}`} download>
              <Download aria-hidden /> Export CSV
            </a>
          </Button>
        }
      />
      <MetricsControls range={range} />
      {rangeError ? (
        <p role="alert" className="text-sm text-danger">
          {rangeError} Showing the last 30 days instead.
        </p>
      ) : null}
      {nothing ? (
        <>
          <EmptyState icon={ChartColumn} title="No runs in this period">
            Assign a task from the Board (or load the demo workspace there) and this page shows what the
            agents cost, how long they took, which agents succeed most and where reviews are waiting.
          </EmptyState>
          {spendCard}
        </>
      ) : (
        <>
          <KpiTiles metrics={metrics} runsHref={runsHref} />
          {/* The three questions at a glance: cost (above), who succeeds most, where reviews wait. */}
          <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
            <div className="min-w-0">
              <GroupTable
                title="Agent leaderboard"
                description="Ranked by success rate; the sample size and 95% Wilson interval say how sure that is."
                rows={metrics.leaderboard}
                runsHref={agentRunsHref}
                testId="leaderboard"
              />
            </div>
            <div className="grid gap-4">
              <OpenReviews metrics={metrics} />
              <MergeQueueCard metrics={metrics} />
            </div>
          </div>
          <MetricsCharts metrics={metrics} runsHref={runsHref} />
          {/* The spend card (with an admin's cap form) is tall: beside the leaderboard it left a gap under
              a short leaderboard, so it sits with the other detail cards. */}
          <div className="grid items-start gap-4 lg:grid-cols-2 xl:grid-cols-[minmax(0,4fr)_minmax(0,3fr)_minmax(0,3fr)]">
            <ReviewPanel metrics={metrics} runsHref={runsHref} />
            <DurationParts total={metrics.total} runsHref={runsHref({})} />
            {spendCard}
          </div>
          <div className="grid items-start gap-4 lg:grid-cols-2 xl:grid-cols-[minmax(0,4fr)_minmax(0,3fr)_minmax(0,3fr)]">
            <ParallelWorkCard work={metrics.parallel} />
          </div>
          {range.groupBy !== "agent" ? (
            <GroupTable
              title={`By ${GROUP_NAMES[range.groupBy]}`}
              description="The same numbers for each group of the chosen grouping."
              rows={metrics.groups}
              runsHref={groupRunsHref}
              testId="groups"
            />
          ) : null}
        </>
      )}
    </div>
  );
}
