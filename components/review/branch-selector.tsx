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
  approved: boolean;
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
}: {
  choices: BranchChoice[];
  selected: string | null;
  merged: string | null;
  href: (runId: string) => string;
}) {
  return (
    <nav aria-label="Agents' branches" className="mb-3 flex flex-wrap items-center gap-2 text-xs">
      <span className="text-muted-foreground">{choices.length} agents worked on this task. Reviewing:</span>
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
              "flex items-center gap-2 rounded-md border px-2 py-1",
              active
                ? "border-accent bg-surface text-foreground shadow-xs"
                : "border-transparent bg-muted text-muted-foreground hover:text-foreground",
            )}
          >
            <GitBranch className="size-3.5 shrink-0" aria-hidden />
            <span className="font-medium">{choice.agentName}</span>
            <span className="max-w-56 truncate font-mono text-[11px] text-muted-foreground">
              {choice.branch}
            </span>
            {merged === choice.branch ? (
              <span className="text-emerald-700 dark:text-emerald-300">merged</span>
            ) : merged ? (
              <span className="text-muted-foreground">closed</span>
            ) : (
              <RunStatusBadge status={choice.status} />
            )}
            {choice.approved && !merged ? (
              <span className="flex items-center gap-0.5 text-violet-700 dark:text-violet-300">
                <Check className="size-3.5" aria-hidden /> approved
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
