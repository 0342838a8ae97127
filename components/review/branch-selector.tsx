import { Check, GitBranch } from "lucide-react";
import Link from "next/link";
import { RunStatusBadge } from "@/components/ui/status-badge";
import type { RunStatus } from "@/db/schema/runs";
import { cn } from "@/lib/utils";

export interface BranchChoice {
  branch: string;
  agentName: string;
  runId: string;
  status: RunStatus;
  outcome: string | null;
  approved: boolean;
  /** Another attempt was promoted: this branch is closed. */
  closed?: boolean;
  promoted?: boolean;
}

/**
 * A task assigned to several agents has one branch per agent: the reviewer picks whose work to read,
 * comment on, approve and merge. The choice lives in the URL (any run of the branch), like the view.
 */
export function BranchSelector({
  choices,
  selected,
  merged,
  href,
  compareHref,
}: {
  choices: BranchChoice[];
  selected: string | null;
  merged: string | null;
  href: (runId: string) => string;
  /** The Compare view of the attempts side by side (components/compare). */
  compareHref?: string;
}) {
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2 text-xs">
      <span className="text-muted-foreground">Whose work:</span>
      <nav aria-label="Agents' branches" className="flex flex-wrap gap-0.5 rounded-md bg-muted p-0.5">
        {choices.map((choice) => {
          const active = choice.branch === selected;
          return (
            <Link
              key={choice.branch}
              href={href(choice.runId)}
              replace
              scroll={false}
              aria-current={active ? "true" : undefined}
              title={choice.branch}
              className={cn(
                "flex items-center gap-1.5 rounded px-2 py-1 font-medium",
                active
                  ? "bg-surface text-foreground shadow-xs"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              <GitBranch className="size-3.5 shrink-0" aria-hidden />
              {choice.agentName}
              {merged === choice.branch ? (
                <span className="font-normal text-emerald-700 dark:text-emerald-300">merged</span>
              ) : merged || choice.closed ? (
                <span className="font-normal">closed</span>
              ) : (
                <RunStatusBadge status={choice.status} outcome={choice.outcome} className="py-0" />
              )}
              {choice.promoted && !merged ? <span className="font-normal text-accent">promoted</span> : null}
              {choice.approved && !merged ? (
                <span className="flex items-center gap-0.5 font-normal text-violet-700 dark:text-violet-300">
                  <Check className="size-3.5" aria-hidden /> approved
                </span>
              ) : null}
            </Link>
          );
        })}
      </nav>
      {compareHref ? (
        <Link href={compareHref} className="font-medium text-accent hover:underline">
          Compare attempts
        </Link>
      ) : null}
      <span className="text-muted-foreground">
        {merged
          ? "One branch was merged; the others were closed."
          : choices.some((c) => c.promoted)
            ? "One attempt was promoted; the others were closed."
            : "Each agent worked on its own branch: comment on, approve and merge one of them."}
      </span>
    </div>
  );
}
