import { TriangleAlert } from "lucide-react";
import { type BoardColumn, boardStatus } from "@/lib/tasks/board-columns";
import { cn } from "@/lib/utils";
import { TaskCard } from "./task-card";

/** One status column; its header turns amber when the column holds more than the team's WIP limit. */
export function BoardColumnView({ column }: { column: BoardColumn }) {
  const headingId = `column-${column.id}`;
  return (
    <section
      aria-labelledby={headingId}
      data-column={column.id}
      // Empty columns stay narrow so the ones with work fit on a laptop screen.
      className={cn(
        "flex shrink-0 flex-col rounded-lg bg-muted/40",
        column.tasks.length === 0 ? "w-40" : "w-60",
      )}
    >
      <header
        className={cn(
          "flex items-center justify-between gap-2 rounded-t-lg px-3 py-2 text-xs font-medium",
          column.over && "bg-amber-500/15 text-amber-800 dark:text-amber-200",
        )}
        data-testid="column-header"
        data-over={column.over}
        title={
          column.over
            ? `Over the team's WIP limit of ${column.limit}: finish work before starting more.`
            : undefined
        }
      >
        <h2 id={headingId} className="truncate">
          {column.label}
        </h2>
        <span
          className="tabular inline-flex items-center gap-1 text-muted-foreground"
          data-testid="column-count"
        >
          {column.over ? (
            <TriangleAlert className="size-3.5 text-amber-600" aria-label="Over WIP limit" />
          ) : null}
          <span className={cn(column.over && "text-amber-800 dark:text-amber-200")}>
            {column.count}
            {column.limit !== null ? `/${column.limit}` : ""}
          </span>
        </span>
      </header>
      <div className="grid grid-cols-[minmax(0,1fr)] content-start gap-2 p-2">
        {column.tasks.length === 0 ? (
          <p className="px-1 py-3 text-center text-xs text-muted-foreground">Nothing here</p>
        ) : (
          column.tasks.map((task) => <TaskCard key={task.id} task={task} status={boardStatus(task)} />)
        )}
      </div>
    </section>
  );
}
