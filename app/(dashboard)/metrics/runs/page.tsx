import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { requireActor } from "@/lib/auth/session";
import { formatDuration, formatMoney } from "@/lib/metrics/format";
import { groupLabels } from "@/lib/metrics/labels";
import { isoDay, rangeFromSearchParams, rangeSearch } from "@/lib/metrics/range";
import { listMetricRuns, type RunScope, runsFilterFromParams } from "@/lib/metrics/runs-list";

export const metadata: Metadata = { title: "Runs behind a metric" };
const LIMIT = 500;

const SCOPE_TEXT: Record<RunScope, string> = {
  queued: "Runs queued",
  ended: "Runs of the tasks that ended",
  merged: "Runs of the tasks merged",
  "ended-reviewed": "Runs of the reviewed tasks that ended",
  reviewed: "Runs whose diff was reviewed",
};
const GROUP_TEXT = { agent: "agent", model: "model", repo: "repository", person: "assigned by" } as const;

export default async function MetricRunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const params = await searchParams;
  const range = rangeFromSearchParams(params);
  const filter = runsFilterFromParams(params);
  const scope = filter.scope ?? "queued";
  const [rows, labels] = await Promise.all([
    listMetricRuns(actor, range, { ...filter, limit: LIMIT + 1 }),
    groupLabels(actor.teamId, range.groupBy, filter.key ? [filter.key] : []),
  ]);
  const shown = rows.slice(0, LIMIT);
  const spend = shown.reduce((sum, row) => sum + row.cost_usd, 0);
  const last = isoDay(new Date(range.to.getTime() - 86_400_000));
  const when = filter.day ? `on ${filter.day}` : `${isoDay(range.from)} – ${last}`;
  const description = [
    `${SCOPE_TEXT[scope]} ${when}`,
    filter.key !== undefined
      ? `${GROUP_TEXT[range.groupBy]} ${labels.get(filter.key || null) ?? filter.key}`
      : null,
    filter.verified ? "verified only" : null,
  ].filter(Boolean);
  const reviewColumns = scope === "reviewed" || scope === "ended-reviewed" || scope === "merged";
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Runs behind the numbers"
        description={`${description.join(", ")}: ${shown.length}${rows.length > LIMIT ? "+" : ""} runs, ${formatMoney(Math.round(spend * 1e6) / 1e6)}.`}
        actions={
          <>
            <Link
              href={`/metrics?${rangeSearch(range)}`}
              className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
            >
              <ArrowLeft className="size-4" aria-hidden /> Metrics
            </Link>
            <a
              className="text-sm text-accent hover:underline"
              href={`/api/metrics/runs.csv?${rangeSearch(range, {
                scope,
                key: filter.key,
                day: filter.day,
                verified: filter.verified ? "1" : undefined,
              })}`}
            >
              CSV
            </a>
          </>
        }
      />
      <Card>
        {shown.length === 0 ? (
          <p className="px-4 py-6 text-sm text-muted-foreground">
            No run matches. Widen the period on the metrics page.
          </p>
        ) : (
          <Table className="tabular-nums" data-testid="metric-runs">
            <thead>
              <tr>
                <Th>Task</Th>
                <Th>Agent</Th>
                <Th>Model</Th>
                <Th>Status</Th>
                <Th>Queued</Th>
                <Th className="text-right">Duration</Th>
                <Th className="text-right">Tokens in / out</Th>
                <Th className="text-right">Cost</Th>
                {reviewColumns ? (
                  <>
                    <Th className="text-right">Review turnaround</Th>
                    <Th className="text-right">Human review</Th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.id}>
                  <Td>
                    <Link href={`/runs/${row.id}`} className="hover:underline">
                      <span className="text-muted-foreground">#{row.task_number}</span> {row.task_title}
                    </Link>
                  </Td>
                  <Td>{row.agent}</Td>
                  <Td className="whitespace-nowrap font-mono text-xs">{row.model}</Td>
                  <Td>
                    <RunStatusBadge status={row.status} outcome={row.outcome} />
                  </Td>
                  <Td className="whitespace-nowrap">
                    <TimeAgo date={new Date(row.queued_at)} />
                  </Td>
                  <Td className="text-right">{formatDuration(row.wall_ms)}</Td>
                  <Td className="whitespace-nowrap text-right text-xs">
                    {row.input_tokens.toLocaleString("en-US")} / {row.output_tokens.toLocaleString("en-US")}
                  </Td>
                  <Td className="text-right">
                    {row.unpriced ? (
                      <span className="text-warning">unpriced</span>
                    ) : (
                      formatMoney(row.cost_usd)
                    )}
                  </Td>
                  {reviewColumns ? (
                    <>
                      <Td className="text-right">{formatDuration(row.review_turnaround_ms)}</Td>
                      <Td className="text-right">{formatDuration(row.human_review_ms)}</Td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
