import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type * as React from "react";
import { RunTable } from "@/components/runs/run-table";
import { BackLink } from "@/components/tasks/back-link";
import { Card, CardHeader } from "@/components/ui/card";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import { TimeAgo } from "@/components/ui/time-ago";
import { getAgent } from "@/lib/agents/service";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getRepo } from "@/lib/repos/service";
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
  const [repo, agent] = await Promise.all([getRepo(actor, task.repoId), getAgent(actor, task.agentId)]);

  return (
    <div className="max-w-4xl">
      <BackLink href="/board">Board</BackLink>
      <div className="mb-5">
        <div className="flex flex-wrap items-center gap-2">
          <span className="tabular text-lg text-muted-foreground">#{task.number}</span>
          <h1 className="text-lg font-semibold tracking-tight">{task.title}</h1>
          <TaskStatusBadge status={task.status} />
          {runs.length > 0 ? (
            <Link
              href={`/tasks/${task.id}/review`}
              className="ml-auto inline-flex h-8 items-center gap-1.5 rounded-md bg-accent px-3 text-sm font-medium text-accent-foreground shadow-sm hover:bg-accent/90"
            >
              {["in_review", "approved", "conflict"].includes(task.status)
                ? "Review changes"
                : "View changes"}
            </Link>
          ) : null}
        </div>
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
        </dl>
      </div>
      <Card className="mb-5">
        <CardHeader title="Prompt" />
        <pre className="whitespace-pre-wrap break-words px-4 py-3 font-mono text-xs leading-relaxed">
          {task.prompt}
        </pre>
      </Card>
      <Card>
        <CardHeader title="Runs" description="Each run is one attempt by the agent, on the task's branch." />
        {runs.length === 0 ? (
          <p className="px-4 py-6 text-sm text-muted-foreground">No runs yet.</p>
        ) : (
          <RunTable runs={runs} />
        )}
      </Card>
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
