import { TimeAgo } from "@/components/ui/time-ago";
import type { Agent } from "@/db/schema";
import { formatDuration } from "@/lib/metrics/format";

/** One line under an agent's name: its model and budgets, and when it last changed. */
export function AgentSummary({ agent }: { agent: Agent }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-0.5">
      <span className="font-mono text-xs text-foreground">{agent.model}</span>
      <span aria-hidden>·</span>
      <span className="tabular" title="Budget per run: steps, cost and wall time">
        up to {agent.maxSteps} steps, ${agent.maxCostUsd}, {formatDuration(agent.maxDurationSec * 1000)} a run
      </span>
      <span aria-hidden>·</span>
      <span>
        updated <TimeAgo date={agent.updatedAt} />
      </span>
    </span>
  );
}
