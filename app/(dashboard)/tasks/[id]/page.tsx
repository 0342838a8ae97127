import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type * as React from "react";
import { OverlapList } from "@/components/conflicts/overlap-list";
import { BackLink } from "@/components/tasks/back-link";
import {
  TaskDependenciesLive,
  TaskNeedsHumanLive,
  TaskRunsLive,
  TaskTitleLive,
} from "@/components/tasks/task-live";
import { taskQueryOptions } from "@/components/tasks/task-query";
import { Card, CardHeader } from "@/components/ui/card";
import { Markdown } from "@/components/ui/markdown";
import { TimeAgo } from "@/components/ui/time-ago";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { baseConflictsOf, overlapsOf } from "@/lib/conflicts/queries";
import { AppError } from "@/lib/errors";
import { listMembers } from "@/lib/members/service";
import { makeQueryClient } from "@/lib/query/client";
import { getRepo } from "@/lib/repos/service";
import { taskWithRunsView } from "@/lib/runs/views";
import { taskDependenciesView } from "@/lib/tasks/dependency-queries";
import { getTask, listTaskAgents } from "@/lib/tasks/service";

export const metadata: Metadata = { title: "Task" };

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  let found: Awaited<ReturnType<typeof getTask>>;
  try {
    found = await getTask(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { task, runs } = found;
  const [repo, taskAgents, members, overlaps, baseConflictFiles, dependencies] = await Promise.all([
    getRepo(actor, task.repoId),
    listTaskAgents(actor, task),
    listMembers(actor),
    overlapsOf(actor, [task.id]).then((found) => found.get(task.id) ?? []),
    baseConflictsOf(actor, [task.id]).then((found) => found.get(task.id) ?? null),
    taskDependenciesView(actor, task),
  ]);
  const reviewer = members.find((m) => m.userId === task.reviewerId);
  const reviewerName = reviewer
    ? reviewer.name || reviewer.email
    : task.reviewerId
      ? "Former member"
      : "Nobody yet";

  // Status, runs and dependencies come prefetched in the query cache; team changes about this task
  // (a dependency merging or being discarded names its dependents) refetch them.
  const queryClient = makeQueryClient();
  queryClient.setQueryData(taskQueryOptions(task.id).queryKey, taskWithRunsView(task, runs, dependencies));

  return (
    <div className="max-w-5xl">
      <BackLink href="/board">Board</BackLink>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="mb-5">
          <TaskTitleLive taskId={task.id} />
          <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm">
            <Meta label="Repository">
              <Link href={`/repos/${repo.id}`} className="font-mono text-xs hover:underline">
                {repo.name}
              </Link>
            </Meta>
            <Meta label="Base branch">
              <span className="font-mono text-xs">{task.baseBranch}</span>
            </Meta>
            <Meta label={taskAgents.length > 1 ? "Agents" : "Agent"}>
              <span data-testid="task-agents">
                {taskAgents.map((agent, index) => (
                  <span key={agent.id}>
                    {index > 0 ? ", " : null}
                    <Link href={`/agents/${agent.id}`} className="hover:underline">
                      {agent.name}
                    </Link>
                  </span>
                ))}
              </span>
            </Meta>
            {taskAgents.length > 1 ? (
              <Meta label="Attempts">
                <Link href={`/tasks/${task.id}/compare`} className="font-medium text-accent hover:underline">
                  Compare {taskAgents.length} attempts
                </Link>
              </Meta>
            ) : null}
            <Meta label="Assigned">
              <TimeAgo date={task.createdAt} />
            </Meta>
            <Meta label="Reviewer">
              {/* Named or changed on the review page. */}
              <Link href={`/tasks/${task.id}/review`} className="hover:underline">
                {reviewerName}
              </Link>
            </Meta>
          </dl>
          <TaskDependenciesLive taskId={task.id} />
        </div>
        {overlaps.length > 0 || baseConflictFiles ? (
          <Card className="mb-5 px-4 py-3">
            <OverlapList
              taskId={task.id}
              canResolve={can(actor, "tasks:review")}
              overlaps={overlaps}
              baseConflict={
                baseConflictFiles ? { baseBranch: task.baseBranch, files: baseConflictFiles } : null
              }
            />
          </Card>
        ) : null}
        <TaskNeedsHumanLive taskId={task.id} canAnswer={can(actor, "tasks:review")} />
        <Card className="mb-5">
          <CardHeader title="Prompt" />
          {/* Written in Markdown (the form previews it); rendered as React elements, never as HTML. */}
          <div className="break-words px-4 py-3" data-testid="task-prompt">
            <Markdown source={task.prompt} />
          </div>
        </Card>
        <TaskRunsLive
          taskId={task.id}
          names={{
            agents: Object.fromEntries(taskAgents.map((a) => [a.id, a.name])),
            people: Object.fromEntries(members.map((m) => [m.userId, m.name || m.email])),
          }}
        />
      </HydrationBoundary>
    </div>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline gap-1.5">
      <dt className="text-muted-foreground">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
