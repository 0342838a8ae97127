import Link from "next/link";
import { WaitingOn } from "@/components/board/waiting-on";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import type { DependencyRef } from "@/lib/tasks/dependency-queries";

/** The task page's "Depends on" entry: each dependency with its status, and what the task waits on. */
export function TaskDependencies({
  dependsOn,
  waitingOn,
}: {
  dependsOn: DependencyRef[];
  waitingOn: { taskId: string; number: number }[];
}) {
  if (dependsOn.length === 0) return null;
  return (
    <div className="mt-3 grid gap-1.5 text-sm" data-testid="task-dependencies">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="text-muted-foreground">Depends on</span>
        {dependsOn.map((dep) => (
          <span key={dep.taskId} className="inline-flex min-w-0 items-center gap-1.5">
            <Link
              href={`/tasks/${dep.taskId}`}
              className="min-w-0 truncate hover:underline"
              title={dep.title}
            >
              <span className="tabular text-muted-foreground">#{dep.number}</span> {dep.title}
            </Link>
            <TaskStatusBadge status={dep.status} />
          </span>
        ))}
      </div>
      <WaitingOn waitingOn={waitingOn} className="text-sm" />
    </div>
  );
}
