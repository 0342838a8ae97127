import { Hourglass } from "lucide-react";
import Link from "next/link";
import { cn } from "@/lib/utils";

/**
 * "Waiting on #12, #13": the tasks that must merge before this one's runs start, each a link to it.
 * Shown on the board card and the task page.
 */
export function WaitingOn({
  waitingOn,
  className,
}: {
  waitingOn: { taskId: string; number: number }[] | undefined;
  className?: string;
}) {
  if (!waitingOn || waitingOn.length === 0) return null;
  return (
    <p
      data-testid="waiting-on"
      title="Its runs start once these tasks have merged, from the updated base branch."
      className={cn("flex min-w-0 items-start gap-1 text-xs text-muted-foreground", className)}
    >
      <Hourglass className="mt-px size-3.5 shrink-0" aria-hidden />
      <span className="min-w-0 break-words">
        Waiting on{" "}
        {waitingOn.map((dep, index) => (
          <span key={dep.taskId}>
            {index > 0 ? ", " : null}
            <Link
              href={`/tasks/${dep.taskId}`}
              className="tabular font-medium text-foreground hover:underline"
            >
              #{dep.number}
            </Link>
          </span>
        ))}
      </span>
    </p>
  );
}
