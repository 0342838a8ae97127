import { TriangleAlert } from "lucide-react";
import { TaskStatusIcon } from "@/components/ui/status-badge";
import { type BoardColumn, boardStatus } from "@/lib/tasks/board-columns";
import { cn } from "@/lib/utils";
import { TaskCard } from "./task-card";

function Count({ column }: { column: BoardColumn }) {
  return (
    <span className="tabular inline-flex items-center gap-1 text-muted-foreground" data-testid="column-count">
      {column.over ? <TriangleAlert className="size-3.5 text-amber-600" aria-label="Over WIP limit" /> : null}
      <span className={cn(column.over && "text-amber-800 dark:text-amber-200")}>
        {column.count}
        {column.limit !== null ? `/${column.limit}` : ""}
      </span>
    </span>
  );
}

/**
 * One status column; its header turns amber when the column holds more than the team's WIP limit.
 * Columns share the board's width and scroll on their own; an empty one folds to a thin rail so the
 * columns with work keep room for their cards.
 */
export function BoardColumnView({ column }: { column: BoardColumn }) {
  const headingId = `column-${column.id}`;
  const empty = column.tasks.length === 0;
  const overTitle = column.over
    ? `Over the team's WIP limit of ${column.limit}: finish work before starting more.`
    : undefined;

  if (empty) {
    return (
      <section
        aria-labelledby={headingId}
        data-column={column.id}
        data-label={column.label}
        data-empty
        title={`${column.label}: nothing here`}
        className="flex w-10 shrink-0 flex-col items-center rounded-lg bg-muted/40"
      >
        <header
          className="flex flex-col items-center gap-2 px-1 py-2.5 text-xs font-medium"
          data-testid="column-header"
          data-over={column.over}
        >
          <TaskStatusIcon status={column.id} />
          <Count column={column} />
          <h2 id={headingId} className="whitespace-nowrap text-muted-foreground [writing-mode:vertical-rl]">
            {column.label}
          </h2>
        </header>
      </section>
    );
  }

  return (
    <section
      aria-labelledby={headingId}
      data-column={column.id}
      data-label={column.label}
      className="flex max-w-80 min-w-36 flex-1 basis-0 flex-col rounded-lg bg-muted/40"
    >
      <header
        className={cn(
          "flex shrink-0 items-center justify-between gap-2 rounded-t-lg px-2.5 py-2 text-xs font-medium",
          column.over && "bg-amber-500/15 text-amber-800 dark:text-amber-200",
        )}
        data-testid="column-header"
        data-over={column.over}
        title={overTitle}
      >
        <span className="flex min-w-0 items-center gap-1.5">
          <TaskStatusIcon status={column.id} />
          <h2 id={headingId} className="truncate" title={column.over ? undefined : column.label}>
            {column.label}
          </h2>
        </span>
        <Count column={column} />
      </header>
      <div className="grid min-h-0 grid-cols-[minmax(0,1fr)] content-start gap-1.5 overflow-y-auto px-1 pb-1">
        {column.tasks.map((task) => (
          <TaskCard key={task.id} task={task} status={boardStatus(task)} columnId={column.id} />
        ))}
      </div>
    </section>
  );
}
