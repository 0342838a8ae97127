import Link from "next/link";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { formatUsd } from "@/lib/format";
import { runKindLabel, runTrigger } from "@/lib/runs/kind";
import type { RunView } from "@/lib/runs/views";

export function runCost(run: { costUsd: number; unpriced: boolean }): string {
  return run.unpriced ? "unpriced" : formatUsd(run.costUsd);
}

/** Names for the ids a run carries: its agent and the person who started it. */
export interface RunNames {
  agents: Record<string, string>;
  people: Record<string, string>;
}

/** A task's runs, newest first: which agent, why the run exists (and who set it off), how it went. */
export function RunTable({ runs, names }: { runs: RunView[]; names: RunNames }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Status</Th>
          <Th>Agent</Th>
          <Th>Kind</Th>
          <Th>Branch</Th>
          <Th className="text-right">Steps</Th>
          <Th className="text-right">Cost</Th>
          <Th className="text-right">Started</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} className="hover:bg-muted/50" data-testid="task-run" data-kind={run.kind}>
            <Td>
              <Link href={`/runs/${run.id}`} className="inline-flex" aria-label={`Run on ${run.branch}`}>
                <RunStatusBadge status={run.status} outcome={run.outcome} />
              </Link>
            </Td>
            <Td className="whitespace-nowrap" data-testid="run-agent">
              <Link href={`/agents/${run.agentId}`} className="hover:underline">
                {names.agents[run.agentId] ?? "Unknown agent"}
              </Link>
            </Td>
            <Td data-testid="run-kind">
              <div className="whitespace-nowrap">{runKindLabel(run.kind)}</div>
              <div className="whitespace-nowrap text-xs text-muted-foreground">
                {runTrigger(run.kind, run.startedBy ? (names.people[run.startedBy] ?? null) : null)}
              </div>
            </Td>
            <Td className="font-mono text-xs">
              <Link href={`/runs/${run.id}`} className="break-all hover:underline">
                {run.branch}
              </Link>
            </Td>
            <Td className="tabular text-right">{run.steps}</Td>
            <Td className="tabular text-right">{runCost(run)}</Td>
            <Td className="whitespace-nowrap text-right text-muted-foreground">
              <TimeAgo date={new Date(run.startedAt ?? run.queuedAt)} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
