import Link from "next/link";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { formatDuration, formatMoney } from "@/lib/metrics/format";
import type { MetricRunRow } from "@/lib/metrics/runs-list";
import { runKindLabel } from "@/lib/runs/kind";

/**
 * The latest runs of an agent (with their repository) or of a repository (with their agent): each links to
 * its run page, with its task, outcome, cost and duration.
 */
export function RecentRuns({ runs, other }: { runs: MetricRunRow[]; other: "agent" | "repo" }) {
  return (
    <Table aria-label="Recent runs">
      <thead>
        <tr>
          <Th>Task</Th>
          <Th>{other === "agent" ? "Agent" : "Repository"}</Th>
          <Th>Outcome</Th>
          <Th className="text-right">Cost</Th>
          <Th className="text-right">Duration</Th>
          <Th>Queued</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} className="hover:bg-muted/50" data-testid="recent-run">
            <Td className="w-1/2 max-w-0">
              <Link
                href={`/runs/${run.id}`}
                className="block truncate hover:underline"
                title={run.task_title}
              >
                <span className="tabular mr-1.5 text-muted-foreground">#{run.task_number}</span>
                <span className="font-medium">{run.task_title}</span>
                {run.kind !== "initial" ? (
                  <span className="ml-1.5 text-xs text-muted-foreground">· {runKindLabel(run.kind)}</span>
                ) : null}
              </Link>
            </Td>
            <Td
              className={
                other === "repo" ? "whitespace-nowrap font-mono text-xs" : "whitespace-nowrap text-xs"
              }
            >
              {other === "agent" ? run.agent : run.repo}
            </Td>
            <Td>
              <RunStatusBadge status={run.status} outcome={run.outcome} />
            </Td>
            <Td className="tabular text-right text-xs">{formatMoney(run.cost_usd, run.unpriced)}</Td>
            <Td className="tabular text-right text-xs">{formatDuration(run.wall_ms)}</Td>
            <Td className="whitespace-nowrap text-xs text-muted-foreground">
              <TimeAgo date={new Date(run.queued_at)} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
