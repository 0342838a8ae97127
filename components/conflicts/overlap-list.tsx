import { GitMerge } from "lucide-react";
import Link from "next/link";
import type { OverlapView } from "@/lib/conflicts/queries";
import { cn } from "@/lib/utils";
import { RebaseButton } from "./rebase-button";

/**
 * Other open tasks whose branches change the same files as this one, and whether merging both would
 * conflict (predicted with git merge-tree, recomputed as branches move). Nothing when there are none.
 */
export function OverlapList({
  taskId,
  overlaps,
  baseConflict,
  canResolve = false,
  className,
}: {
  taskId: string;
  /** May hand the task back to its agent (tasks:review). */
  canResolve?: boolean;
  overlaps: OverlapView[];
  /** The base moved on and merging now would conflict in these files. */
  baseConflict?: { baseBranch: string; files: string[] } | null;
  className?: string;
}) {
  if (overlaps.length === 0 && !baseConflict) return null;
  return (
    <section className={cn("grid gap-1.5", className)} aria-label="Predicted overlaps" data-testid="overlaps">
      <h2 className="flex items-center gap-1.5 text-sm font-semibold">
        <GitMerge className="size-4 text-muted-foreground" aria-hidden />
        {baseConflict || overlaps.some((overlap) => overlap.conflict)
          ? "Predicted conflicts"
          : "Overlaps with other open tasks"}
      </h2>
      {baseConflict ? (
        <p className="text-sm text-amber-700 dark:text-amber-300" data-testid="base-conflict">
          <span className="font-mono text-xs">{baseConflict.baseBranch}</span> moved on since this branch left
          it: merging now would conflict in{" "}
          <span className="break-words font-mono text-xs">{baseConflict.files.join(", ")}</span>.
        </p>
      ) : null}
      {baseConflict && canResolve ? (
        <RebaseButton taskId={taskId} baseBranch={baseConflict.baseBranch} />
      ) : null}
      <ul className="grid gap-1 text-sm">
        {overlaps.map((overlap) => (
          <li key={overlap.taskId} data-testid="overlap" className="min-w-0">
            <Link href={`/tasks/${overlap.taskId}`} className="font-medium hover:underline">
              #{overlap.number} {overlap.title}
            </Link>{" "}
            {overlap.conflict ? (
              <span className="text-amber-700 dark:text-amber-300">
                conflict predicted in{" "}
                <span className="break-words font-mono text-xs">{overlap.conflictFiles.join(", ")}</span>
              </span>
            ) : (
              <span className="text-muted-foreground">
                also changes <span className="break-words font-mono text-xs">{overlap.files.join(", ")}</span>{" "}
                (merges cleanly)
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
