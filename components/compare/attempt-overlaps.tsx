import { GitMerge, TriangleAlert } from "lucide-react";
import type { Attempt, AttemptOverlap } from "@/lib/compare/queries";

/** The conflicts predicted between attempts, were both merged (git merge-tree on their heads). */
export function AttemptOverlaps({ attempts, overlaps }: { attempts: Attempt[]; overlaps: AttemptOverlap[] }) {
  const name = (branch: string) => {
    const found = attempts.find((a) => a.branch === branch);
    return found ? `Attempt ${found.index}` : branch;
  };
  if (overlaps.length === 0) {
    return (
      <p className="px-4 py-3 text-sm text-muted-foreground" data-testid="attempt-overlaps">
        No two attempts change the same file: any of them could be merged after another without conflict.
      </p>
    );
  }
  return (
    <ul className="divide-y text-sm" data-testid="attempt-overlaps">
      {overlaps.map((o) => (
        <li key={`${o.a}\0${o.b}`} className="flex items-start gap-2 px-4 py-2">
          {o.conflicts.length > 0 ? (
            <TriangleAlert
              className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-300"
              aria-hidden
            />
          ) : (
            <GitMerge className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
          )}
          <div className="min-w-0">
            <span className="font-medium">
              {name(o.a)} and {name(o.b)}
            </span>{" "}
            {o.conflicts.length > 0 ? (
              <span className="text-amber-700 dark:text-amber-300">conflict in</span>
            ) : (
              <span className="text-muted-foreground">both change, and merge cleanly:</span>
            )}{" "}
            <span className="break-all font-mono text-xs">
              {(o.conflicts.length > 0 ? o.conflicts : o.files).join(", ")}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
