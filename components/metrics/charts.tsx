import { Card, CardHeader } from "@/components/ui/card";
import { formatUsd } from "@/lib/format";
import { DEFINITIONS } from "@/lib/metrics/definitions";
import { formatDuration, formatPercent } from "@/lib/metrics/format";
import type { Metrics } from "@/lib/metrics/service";
import { DailyChart } from "./daily-chart";
import { Defined } from "./definition";

export const PALETTE = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ec4899", "#8b5cf6"];
const OTHER = "#94a3b8";
const ACCENT = "#6366f1";
const SUCCESS = "#16a34a";

/** The four charts of the page; `runsHref` builds the link to the runs behind a bar. */
export function MetricsCharts({
  metrics,
  runsHref,
}: {
  metrics: Metrics;
  runsHref: (extra: Record<string, string | undefined>) => string;
}) {
  const days = metrics.daily.map((d) => d.day);
  // The six biggest groups get a colour each; the rest share one.
  const top = metrics.groups.slice(0, PALETTE.length);
  const colorOf = new Map(top.map((g, i) => [g.key ?? "", PALETTE[i] ?? OTHER]));
  const spendBars = metrics.daily.map((d) => {
    const segments = top.map((g) => ({
      label: g.label,
      value: d.spendByGroup[g.key ?? ""] ?? 0,
      color: colorOf.get(g.key ?? "") ?? OTHER,
      href: runsHref({ day: d.day, key: g.key ?? "" }),
    }));
    const other = Object.entries(d.spendByGroup)
      .filter(([key]) => !colorOf.has(key))
      .reduce((sum, [, value]) => sum + value, 0);
    if (other > 0)
      segments.push({ label: "Other", value: other, color: OTHER, href: runsHref({ day: d.day }) });
    return segments;
  });
  const dayHref = (day: string) => runsHref({ day });
  // A day's success rate is about the tasks that ended that day; its turnaround about the reviews of that day.
  const endedHref = (day: string) => runsHref({ scope: "ended", day });
  const reviewedHref = (day: string) => runsHref({ scope: "reviewed", day });
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader
          title="Spend per day"
          description={<Defined name="spend">{`Per UTC day, stacked by ${metrics.range.groupBy}`}</Defined>}
        />
        <div className="p-4">
          <DailyChart
            title="Spend per day"
            description={`Spend per UTC day, stacked by ${metrics.range.groupBy}. ${DEFINITIONS.spend}`}
            days={days}
            bars={spendBars}
            formatLeft={formatUsd}
          />
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Runs and success rate"
          description={
            <Defined name="successRate">
              Runs queued per day; share of the tasks ended that day that merged
            </Defined>
          }
        />
        <div className="p-4">
          <DailyChart
            title="Runs and success rate per day"
            description={`Bars: runs per day. Line: success rate of the tasks that ended that day. ${DEFINITIONS.successRate}`}
            days={days}
            bars={metrics.daily.map((d) => [
              { label: "Runs", value: d.runs, color: ACCENT, href: runsHref({ day: d.day }) },
            ])}
            lines={[
              {
                label: "Success rate",
                color: SUCCESS,
                values: metrics.daily.map((d) => d.successRate),
                axis: "right",
                dayHref: endedHref,
              },
            ]}
            formatLeft={(v) => String(Math.round(v * 10) / 10)}
            formatRight={(v) => formatPercent(v)}
            rightMax={1}
            dayHref={dayHref}
          />
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Run duration"
          description={<Defined name="duration">p50 and p90 wall time of the runs queued each day</Defined>}
        />
        <div className="p-4">
          <DailyChart
            title="Run duration p50 and p90"
            description={DEFINITIONS.duration}
            days={days}
            lines={[
              { label: "p50", color: ACCENT, values: metrics.daily.map((d) => d.p50Ms), axis: "left" },
              {
                label: "p90",
                color: "#f59e0b",
                values: metrics.daily.map((d) => d.p90Ms),
                axis: "left",
                dashed: true,
              },
            ]}
            formatLeft={formatDuration}
            durationAxes={["left"]}
            dayHref={dayHref}
          />
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Review turnaround"
          description={<Defined name="reviewTurnaround">Reviews per day and their median turnaround</Defined>}
        />
        <div className="p-4">
          <DailyChart
            title="Review turnaround"
            description={DEFINITIONS.reviewTurnaround}
            days={days}
            bars={metrics.daily.map((d) => [
              { label: "Reviews", value: d.reviews, color: "#a78bfa", href: reviewedHref(d.day) },
            ])}
            lines={[
              {
                label: "Median turnaround",
                color: "#7c3aed",
                values: metrics.daily.map((d) => d.p50TurnaroundMs),
                axis: "right",
              },
            ]}
            formatLeft={(v) => String(Math.round(v * 10) / 10)}
            formatRight={formatDuration}
            durationAxes={["right"]}
            dayHref={reviewedHref}
          />
        </div>
      </Card>
    </div>
  );
}
