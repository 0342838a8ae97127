import { KanbanSquare, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { LoadDemoButton } from "@/components/board/load-demo-button";
import { TaskTable } from "@/components/board/task-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listAgents } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listRepos } from "@/lib/repos/service";
import { listBoardTasks } from "@/lib/tasks/board";

export const metadata: Metadata = { title: "Board" };

export default async function BoardPage() {
  const actor = await requireActor();
  const tasks = await listBoardTasks(actor);
  const canAssign = can(actor, "tasks:assign");
  const newTask = canAssign ? (
    <Button asChild>
      <Link href="/tasks/new">
        <Plus aria-hidden /> New task
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Board"
        description="Every task your agents are working on, most recently active first."
        actions={newTask}
      />
      {tasks.length > 0 ? <TaskTable tasks={tasks} /> : <EmptyBoard actor={actor} canAssign={canAssign} />}
    </>
  );
}

async function EmptyBoard({
  actor,
  canAssign,
}: {
  actor: Awaited<ReturnType<typeof requireActor>>;
  canAssign: boolean;
}) {
  const [repos, agents] = await Promise.all([listRepos(actor), listAgents(actor)]);
  const ready = repos.length > 0 && agents.length > 0;
  const offerDemo = !ready && can(actor, "settings:manage");

  if (!canAssign) {
    return (
      <EmptyState icon={KanbanSquare} title="No tasks yet">
        Tasks appear here once a developer or an admin assigns one to an agent. You can watch every run live.
      </EmptyState>
    );
  }
  if (ready) {
    return (
      <EmptyState
        icon={KanbanSquare}
        title="No tasks yet"
        action={
          <Button asChild>
            <Link href="/tasks/new">
              <Plus aria-hidden /> Assign the first task
            </Link>
          </Button>
        }
      >
        Describe what needs doing, pick a repository and an agent: the agent works on its own branch, the
        repository's tests verify the result, and you watch every step here.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      icon={KanbanSquare}
      title="No tasks yet"
      action={
        <div className="grid justify-items-center gap-3">
          <div className="flex gap-2">
            {repos.length === 0 ? (
              <Button asChild variant={offerDemo ? "secondary" : "primary"}>
                <Link href="/repos/new">Add a repository</Link>
              </Button>
            ) : null}
            {agents.length === 0 ? (
              <Button asChild variant={offerDemo ? "secondary" : "primary"}>
                <Link href="/agents/new">Create an agent</Link>
              </Button>
            ) : null}
          </div>
          {offerDemo ? (
            <>
              <span className="text-xs text-muted-foreground">or try Foreman without an API key</span>
              <LoadDemoButton />
            </>
          ) : null}
        </div>
      }
    >
      Tasks appear here once you assign them. An agent needs a repository to work in and an agent profile to
      do the work.
      {offerDemo
        ? " The demo workspace adds a small repository with a failing test and an offline agent that fixes it."
        : null}
    </EmptyState>
  );
}
