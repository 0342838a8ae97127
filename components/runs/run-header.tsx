import Link from "next/link";
import type * as React from "react";
import { WaitingOn } from "@/components/board/waiting-on";
import { RunStatusBadge } from "@/components/ui/status-badge";
import type { RunView } from "@/lib/runs/views";
import { CostMeter } from "./cost-meter";
import { Elapsed } from "./elapsed";
import { formatBudget, formatCount } from "./format";
import { SandboxChip } from "./sandbox-chip";

/** Who, what and how much: the run's vital signs, live while it runs. */
export function RunHeader({
  run,
  task,
  agentName,
  controls,
  waitingOn = [],
}: {
  run: RunView;
  task: { id: string; number: number; title: string };
  agentName: string;
  controls?: React.ReactNode;
  /** The tasks that must merge before this run starts (lib/tasks/dependency-queries.ts). */
  waitingOn?: { taskId: string; number: number }[];
}) {
  const { usage, budget } = run;
  // A queued run held back by its task's dependencies: the claim skips it until they merge.
  const waiting = run.status === "queued" && !run.startedAt && waitingOn.length > 0;
  return (
    <div className="mb-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            {waiting ? (
              <WaitingOn
                waitingOn={waitingOn}
                className="h-6 items-center rounded-md bg-muted px-2 font-medium"
              />
            ) : (
              <RunStatusBadge status={run.status} outcome={run.outcome} />
            )}
            <h1 className="text-lg font-semibold tracking-tight">
              <Link href={`/tasks/${task.id}`} className="hover:underline">
                <span className="tabular font-normal text-muted-foreground">#{task.number}</span> {task.title}
              </Link>
            </h1>
          </div>
          <p className="mt-1 flex flex-wrap items-baseline gap-x-2 text-xs text-muted-foreground">
            <Link href={`/agents/${run.agentId}`} className="text-foreground hover:underline">
              {agentName}
            </Link>
            <span aria-hidden>·</span>
            <span className="font-mono">{run.model}</span>
            <span aria-hidden>·</span>
            {run.kind === "judge" ? (
              <Link href={`/tasks/${task.id}/compare`} className="hover:underline">
                judging the attempts
              </Link>
            ) : (
              <span className="font-mono">{run.branch}</span>
            )}
            {run.sandbox ? (
              <>
                <span aria-hidden>·</span>
                <SandboxChip sandbox={run.sandbox} />
              </>
            ) : null}
            {run.kind === "rerun" && run.parentRunId ? (
              <>
                <span aria-hidden>·</span>
                <Link href={`/runs/${run.parentRunId}`} className="hover:underline">
                  run again from an earlier run
                </Link>
              </>
            ) : null}
          </p>
        </div>
        {controls}
      </div>
      {run.outcomeReason && run.outcome && run.outcome !== "failed" ? (
        <p
          className="mt-3 whitespace-pre-wrap break-words rounded-md border border-amber-500/30 bg-amber-500/8 px-3 py-2 text-sm"
          data-testid="run-outcome-reason"
        >
          {run.outcomeReason}
        </p>
      ) : null}
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border bg-surface px-4 py-3 text-sm sm:grid-cols-5">
        <Stat label="Steps">
          <span className="tabular" data-testid="run-steps">
            {run.steps} <span className="text-muted-foreground">/ {budget.maxSteps}</span>
          </span>
        </Stat>
        <Stat label="Tokens">
          <span
            className="tabular"
            title={`input ${formatCount(usage.inputTokens)}, output ${formatCount(usage.outputTokens)}, cache write ${formatCount(usage.cacheWriteTokens)}, cache read ${formatCount(usage.cacheReadTokens)}`}
          >
            {formatCount(usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens)} in ·{" "}
            {formatCount(usage.outputTokens)} out
          </span>
        </Stat>
        <Stat label="Elapsed">
          <Elapsed startedAt={run.startedAt} finishedAt={run.finishedAt} />{" "}
          <span className="tabular text-xs text-muted-foreground">
            / {formatBudget(budget.maxDurationSec)}
          </span>
        </Stat>
        <div className="col-span-2 min-w-0">
          <dt className="text-xs text-muted-foreground">Cost</dt>
          <dd className="mt-0.5">
            <CostMeter costUsd={run.costUsd} maxCostUsd={budget.maxCostUsd} unpriced={run.unpriced} />
          </dd>
        </div>
      </dl>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 truncate">{children}</dd>
    </div>
  );
}
