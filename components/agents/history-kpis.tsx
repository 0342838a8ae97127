import Link from "next/link";
import { Defined } from "@/components/metrics/definition";
import type { MetricName } from "@/lib/metrics/definitions";
import { formatCount, formatDuration, formatMoney, formatPercent } from "@/lib/metrics/format";
import type { EntityHistory } from "@/lib/metrics/history";

interface Kpi {
  label: string;
  /** The Metrics page's definition, in a tooltip: the numbers are computed the same way. */
  definition?: MetricName;
  value: string;
  sub: string;
  href?: string;
  testId: string;
}

/** Success rate, spend, median duration, runs and open tasks of an agent or a repository. */
export function HistoryKpis({ history }: { history: EntityHistory }) {
  const m = history.metrics;
  const kpis: Kpi[] = [
    {
      label: "Success rate",
      definition: "successRate",
      value: formatPercent(m.successRate),
      sub:
        m.tasks.ended > 0
          ? `${m.tasks.merged} merged of ${m.tasks.ended} ended task${m.tasks.ended === 1 ? "" : "s"}`
          : "No task ended in this period",
      testId: "kpi-success-rate",
    },
    {
      label: "Spend",
      definition: "spend",
      value: formatMoney(m.spend, m.unpricedRuns > 0),
      sub:
        m.unpricedRuns > 0
          ? `${m.unpricedRuns} unpriced run${m.unpricedRuns === 1 ? "" : "s"} not included`
          : `${formatCount(m.runs)} run${m.runs === 1 ? "" : "s"} queued`,
      href: history.runsHref,
      testId: "kpi-spend",
    },
    {
      label: "Median duration",
      definition: "duration",
      value: formatDuration(m.duration.p50Ms),
      sub: m.duration.p90Ms !== null ? `p90 ${formatDuration(m.duration.p90Ms)}` : "No finished run",
      testId: "kpi-duration",
    },
    {
      label: "Runs",
      definition: "runs",
      value: formatCount(m.runs),
      sub: m.endedRuns > 0 ? `${formatPercent(m.runSuccessRate)} with changes ready` : "None ended",
      href: history.runsHref,
      testId: "kpi-runs",
    },
    {
      label: "Open tasks",
      value: formatCount(history.openTasks),
      sub: "Right now, on the board",
      href: history.boardHref,
      testId: "kpi-open-tasks",
    },
  ];
  return (
    <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-lg border bg-border sm:grid-cols-3 lg:grid-cols-5">
      {kpis.map((kpi) => (
        <div
          key={kpi.label}
          className="grid content-start gap-0.5 bg-surface px-4 py-3"
          data-testid={kpi.testId}
        >
          <dt className="text-xs text-muted-foreground">
            {kpi.definition ? <Defined name={kpi.definition}>{kpi.label}</Defined> : kpi.label}
          </dt>
          <dd className="tabular text-xl font-semibold tracking-tight">
            {kpi.href ? (
              <Link href={kpi.href} className="hover:underline">
                {kpi.value}
              </Link>
            ) : (
              kpi.value
            )}
          </dd>
          <dd className="truncate text-xs text-muted-foreground" title={kpi.sub}>
            {kpi.sub}
          </dd>
        </div>
      ))}
    </dl>
  );
}
