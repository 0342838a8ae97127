import Link from "next/link";
import { Card } from "@/components/ui/card";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { formatUsd } from "@/lib/format";
import type { BoardTask } from "@/lib/tasks/board";

/** The plain board: every task, most recently active first. */
export function TaskTable({ tasks }: { tasks: BoardTask[] }) {
  return (
    <Card>
      <Table>
        <thead>
          <tr>
            <Th className="w-14">#</Th>
            <Th>Title</Th>
            <Th>Status</Th>
            <Th>Agent</Th>
            <Th>Repository</Th>
            <Th>Assigned</Th>
            <Th className="text-right">Cost</Th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} className="hover:bg-muted/50">
              <Td className="tabular text-muted-foreground">#{task.number}</Td>
              <Td className="max-w-96 truncate font-medium">
                <Link href={`/tasks/${task.id}`} className="hover:underline" title={task.title}>
                  {task.title}
                </Link>
              </Td>
              <Td>
                <TaskStatusBadge status={task.status} />
              </Td>
              <Td className="text-muted-foreground">{task.agentName}</Td>
              <Td className="font-mono text-xs">{task.repoName}</Td>
              <Td className="whitespace-nowrap text-muted-foreground">
                <TimeAgo date={task.createdAt} />
                {task.assignedByName ? <> by {task.assignedByName}</> : null}
              </Td>
              <Td className="tabular text-right">
                {task.latestRun ? (
                  task.latestRun.unpriced ? (
                    <span className="text-muted-foreground">unpriced</span>
                  ) : (
                    formatUsd(task.latestRun.costUsd)
                  )
                ) : (
                  <span className="text-muted-foreground">—</span>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
