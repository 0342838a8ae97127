import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { KanbanSquare, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { boardQueryOptions } from "@/components/board/board-query";
import { BoardView } from "@/components/board/board-view";
import { BoardShortcuts } from "@/components/board/keyboard-shortcuts";
import { LoadDemoButton } from "@/components/board/load-demo-button";
import { RefreshWhenTasksArrive } from "@/components/board/refresh-when-tasks-arrive";
import { ResetDemoButton } from "@/components/board/reset-demo-button";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listAgents } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { canResetDemo } from "@/lib/demo/reset";
import { listMembers } from "@/lib/members/service";
import { makeQueryClient } from "@/lib/query/client";
import { listRepos } from "@/lib/repos/service";
import { listBoardTasks } from "@/lib/tasks/board";
import { boardPeopleOptions, parseBoardFilters } from "@/lib/tasks/board-columns";
import { getTeamSettings } from "@/lib/teams/settings";

export const metadata: Metadata = { title: "Board" };

export default async function BoardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const filters = parseBoardFilters(await searchParams);
  const [tasks, repos, agents, members, settings, resetDemo] = await Promise.all([
    listBoardTasks(actor, filters),
    listRepos(actor),
    listAgents(actor),
    listMembers(actor),
    getTeamSettings(actor),
    canResetDemo(actor),
  ]);
  const canAssign = can(actor, "tasks:assign");
  const newTask = canAssign ? (
    <Button asChild>
      <Link href="/tasks/new" aria-keyshortcuts="n">
        <Plus aria-hidden /> New task{" "}
        <kbd className="ml-1 rounded border border-white/30 px-1 text-[10px]">N</kbd>
      </Link>
    </Button>
  ) : null;
  // An empty team teaches the first steps; an empty filter result shows the (empty) columns instead.
  const emptyTeam = tasks.length === 0 && Object.keys(filters).length === 0;
  const queryClient = makeQueryClient();
  queryClient.setQueryData(boardQueryOptions(filters).queryKey, tasks);
  const people = boardPeopleOptions(members, filters);

  const header = (
    <PageHeader
      title="Board"
      description="Every task your agents are working on, by status. Updates live."
      actions={
        <div className="flex items-start gap-2">
          {resetDemo ? <ResetDemoButton /> : null}
          {newTask}
        </div>
      }
    />
  );

  if (emptyTeam) {
    return (
      <>
        {header}
        <BoardShortcuts canAssign={canAssign} />
        <EmptyBoard actor={actor} canAssign={canAssign} />
        <RefreshWhenTasksArrive />
      </>
    );
  }
  return (
    // The board takes the whole width and the window's height (less the main area's padding): columns
    // scroll on their own, so a horizontal scrollbar stays in view instead of below the longest column.
    <div data-wide className="flex h-[calc(100dvh-3rem)] min-h-[28rem] flex-col">
      {header}
      <BoardShortcuts canAssign={canAssign} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <BoardView
          limits={settings.wipLimits}
          options={{
            repo: repos.map((r) => ({ id: r.id, name: r.name })),
            agent: agents.map((a) => ({ id: a.id, name: a.name })),
            ...people,
          }}
        />
      </HydrationBoundary>
    </div>
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
