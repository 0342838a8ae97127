import Link from "next/link";
import type { MetricName } from "@/lib/metrics/definitions";
import { formatChange, formatCount, formatDuration, formatMoney, formatPercent } from "@/lib/metrics/format";
import type { Metrics } from "@/lib/metrics/service";
import { cn } from "@/lib/utils";
import { Defined } from "./definition";

interface Tile {
  name: MetricName;
  label: string;
  value: string;
  current: number | null;
  previous: number | null;
  previousText: string;
  /** Whether a rise is good news (spend and durations rising are not). */
  upIsGood: boolean;
  sub?: string;
  href: string;
}

export function KpiTiles({
  metrics,
  runsHref,
}: {
  metrics: Metrics;
  runsHref: (extra: Record<string, string | undefined>) => string;
}) {
  const { total: t, previous: p } = metrics;
  const tiles: Tile[] = [
    {
      name: "spend",
      label: "Spend",
      value: formatMoney(t.spend),
      current: t.spend,
      previous: p.spend,
      previousText: formatMoney(p.spend),
      upIsGood: false,
      // Their runs and tokens count everywhere; only their cost is unknown.
      sub:
        t.unpricedRuns > 0
          ? `${t.unpricedRuns} run${t.unpricedRuns === 1 ? "" : "s"} on unpriced models: cost unknown, not included`
          : undefined,
      href: runsHref({}),
    },
    {
      name: "runs",
      label: "Runs",
      value: formatCount(t.runs),
      current: t.runs,
      previous: p.runs,
      previousText: formatCount(p.runs),
      upIsGood: true,
      // Succeeded means changes ready; runs that brought none or were blocked are counted, never hidden.
      sub: [
        `${t.succeededRuns} changes ready (${formatPercent(t.runSuccessRate)})`,
        t.verificationFailedRuns > 0 ? `${t.verificationFailedRuns} tests failed` : null,
        `${t.noChangeRuns} no changes`,
        `${t.blockedRuns} blocked`,
        `${t.failedRuns + t.cancelledRuns} failed`,
      ]
        .filter(Boolean)
        .join(" · "),
      href: runsHref({}),
    },
    {
      name: "successRate",
      label: "Success rate",
      value: formatPercent(t.successRate),
      current: t.successRate,
      previous: p.successRate,
      previousText: formatPercent(p.successRate),
      upIsGood: true,
      sub: t.successInterval
        ? `${t.tasks.merged} of ${t.tasks.ended} · 95% ${formatPercent(t.successInterval.low)}–${formatPercent(t.successInterval.high)}`
        : "no task ended",
      href: runsHref({ scope: "ended" }),
    },
    {
      name: "duration",
      label: "Median duration",
      value: formatDuration(t.duration.p50Ms),
      current: t.duration.p50Ms,
      previous: p.duration.p50Ms,
      previousText: formatDuration(p.duration.p50Ms),
      upIsGood: false,
      sub: `p90 ${formatDuration(t.duration.p90Ms)}`,
      href: runsHref({}),
    },
    {
      name: "costPerMergedChange",
      label: "Cost per merged change",
      value: formatMoney(t.costPerMergedChange, t.mergedWithUnpricedRuns > 0),
      current: t.costPerMergedChange,
      previous: p.costPerMergedChange,
      previousText: formatMoney(p.costPerMergedChange),
      upIsGood: false,
      sub:
        t.mergedWithUnpricedRuns > 0
          ? `* at least: ${t.mergedWithUnpricedRuns} of ${t.tasks.merged} merged ran on an unpriced model`
          : `${t.tasks.merged} merged`,
      href: runsHref({ scope: "merged" }),
    },
  ];
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5">
      {tiles.map((tile) => {
        const change = formatChange(tile.current, tile.previous);
        const up = (tile.current ?? 0) > (tile.previous ?? 0);
        const good = change && change !== "±0%" ? up === tile.upIsGood : null;
        return (
          <div key={tile.name} className="rounded-lg border bg-surface p-3 shadow-xs" data-kpi={tile.name}>
            <div className="text-xs text-muted-foreground">
              <Defined name={tile.name}>{tile.label}</Defined>
            </div>
            <Link
              href={tile.href}
              className="mt-1 inline-block text-xl font-semibold tabular-nums hover:underline"
              data-kpi-value
            >
              {tile.value}
            </Link>
            <div className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs tabular-nums text-muted-foreground">
              {change ? (
                <span
                  className={cn(good === true && "text-success", good === false && "text-danger")}
                  data-change
                >
                  {change}
                </span>
              ) : null}
              {tile.previous ? <span>vs {tile.previousText} before</span> : null}
            </div>
            {tile.sub ? (
              <div className="mt-0.5 text-xs tabular-nums text-muted-foreground">{tile.sub}</div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
