import { GitMerge, Loader2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

/** A task's place in its base branch's merge queue: "Landing…" while it merges, else "Queued (position N)". */
export function QueuedBadge({
  queue,
  className,
}: {
  queue: { status: "waiting" | "landing"; position: number; baseBranch: string };
  className?: string;
}) {
  const landing = queue.status === "landing";
  return (
    <Badge
      tone="accent"
      data-testid="merge-queue-badge"
      title={
        landing
          ? `Verifying and merging into ${queue.baseBranch} now`
          : `Waits for ${queue.position - 1} merge${queue.position === 2 ? "" : "s"} ahead of it on ${queue.baseBranch}`
      }
      className={cn("tabular", className)}
    >
      {landing ? (
        <Loader2 className="size-3 animate-spin" aria-hidden />
      ) : (
        <GitMerge className="size-3" aria-hidden />
      )}
      {landing ? "Landing…" : `Queued (position ${queue.position})`}
    </Badge>
  );
}
