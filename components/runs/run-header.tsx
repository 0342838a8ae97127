import Link from "next/link";
import type * as React from "react";
import { RunStatusBadge } from "@/components/ui/status-badge";
import type { Run, Task } from "@/db/schema";
import { Elapsed } from "./elapsed";
import { formatCount } from "./format";
import { runCost } from "./run-table";

/** Who, what and how much: the run's vital signs. */
export function RunHeader({
  run,
  task,
  agentName,
  controls,
}: {
  run: Run;
  task: Pick<Task, "id" | "number" | "title">;
  agentName: string;
  controls?: React.ReactNode;
}) {
  return (
    <div className="mb-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <RunStatusBadge status={run.status} />
            <h1 className="text-lg font-semibold tracking-tight">
              <Link href={`/tasks/${task.id}`} className="hover:underline">
                <span className="tabular font-normal text-muted-foreground">#{task.number}</span> {task.title}
              </Link>
            </h1>
          </div>
          <p className="mt-1 font-mono text-xs text-muted-foreground">{run.branch}</p>
        </div>
        {controls}
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border bg-surface px-4 py-3 text-sm sm:grid-cols-4 lg:grid-cols-7">
        <Stat label="Agent">{agentName}</Stat>
        <Stat label="Model">
          <span className="font-mono text-xs">{run.model}</span>
        </Stat>
        <Stat label="Steps">
          <span className="tabular">
            {run.steps} <span className="text-muted-foreground">/ {run.maxSteps}</span>
          </span>
        </Stat>
        <Stat label="Tokens">
          <span
            className="tabular"
            title={`input ${formatCount(run.inputTokens)}, output ${formatCount(run.outputTokens)}, cache write ${formatCount(run.cacheWriteTokens)}, cache read ${formatCount(run.cacheReadTokens)}`}
          >
            {formatCount(run.inputTokens)} in · {formatCount(run.outputTokens)} out
          </span>
        </Stat>
        <Stat label="Cache">
          <span className="tabular">
            {formatCount(run.cacheReadTokens)} read · {formatCount(run.cacheWriteTokens)} write
          </span>
        </Stat>
        <Stat label="Cost">
          <span className="tabular">{runCost(run)}</span>
        </Stat>
        <Stat label="Elapsed">
          <Elapsed
            startedAt={run.startedAt?.toISOString() ?? null}
            finishedAt={run.finishedAt?.toISOString() ?? null}
          />
        </Stat>
      </dl>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="truncate">{children}</dd>
    </div>
  );
}
