import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type * as React from "react";
import { BackLink } from "@/components/tasks/back-link";
import { TaskNeedsHumanLive, TaskRunsLive, TaskTitleLive } from "@/components/tasks/task-live";
import { taskQueryOptions } from "@/components/tasks/task-query";
import { Card, CardHeader } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import { getAgent } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listMembers } from "@/lib/members/service";
import { makeQueryClient } from "@/lib/query/client";
import { getRepo } from "@/lib/repos/service";
import { taskWithRunsView } from "@/lib/runs/views";
import { getTask } from "@/lib/tasks/service";

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
  const [repo, agent, members] = await Promise.all([
    getRepo(actor, task.repoId),
    getAgent(actor, task.agentId),
    listMembers(actor),
  ]);
  const reviewer = members.find((m) => m.userId === task.reviewerId);
  const reviewerName = reviewer
    ? reviewer.name || reviewer.email
    : task.reviewerId
      ? "Former member"
      : "Nobody yet";

  // Status and runs come prefetched in the query cache; team changes about this task refetch them.
  const queryClient = makeQueryClient();
  queryClient.setQueryData(taskQueryOptions(task.id).queryKey, taskWithRunsView(task, runs));

  return (
    <div className="max-w-4xl">
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
            <Meta label="Agent">
              <Link href={`/agents/${agent.id}`} className="hover:underline">
                {agent.name}
              </Link>
            </Meta>
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
        </div>
        <TaskNeedsHumanLive taskId={task.id} canAnswer={can(actor, "tasks:review")} />
        <Card className="mb-5">
          <CardHeader title="Prompt" />
          <pre className="whitespace-pre-wrap break-words px-4 py-3 font-mono text-xs leading-relaxed">
            {task.prompt}
          </pre>
        </Card>
        <TaskRunsLive taskId={task.id} />
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
