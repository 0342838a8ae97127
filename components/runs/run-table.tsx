import Link from "next/link";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { formatUsd } from "@/lib/format";
import type { RunView } from "@/lib/runs/views";

export function runCost(run: { costUsd: number; unpriced: boolean }): string {
  return run.unpriced ? "unpriced" : formatUsd(run.costUsd);
}

/** A task's runs, newest first. */
export function RunTable({ runs }: { runs: RunView[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Status</Th>
          <Th>Branch</Th>
          <Th className="text-right">Steps</Th>
          <Th className="text-right">Cost</Th>
          <Th className="text-right">Started</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} className="hover:bg-muted/50" data-testid="task-run">
            <Td>
              <Link href={`/runs/${run.id}`} className="inline-flex" aria-label={`Run on ${run.branch}`}>
                <RunStatusBadge status={run.status} outcome={run.outcome} />
              </Link>
            </Td>
            <Td className="font-mono text-xs">
              <Link href={`/runs/${run.id}`} className="hover:underline">
                {run.branch}
              </Link>
            </Td>
            <Td className="tabular text-right">{run.steps}</Td>
            <Td className="tabular text-right">{runCost(run)}</Td>
            <Td className="text-right text-muted-foreground">
              <TimeAgo date={new Date(run.startedAt ?? run.queuedAt)} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
