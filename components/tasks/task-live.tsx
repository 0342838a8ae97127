"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type RunNames, RunTable } from "@/components/runs/run-table";
import { Card, CardHeader } from "@/components/ui/card";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import type { TaskStatus } from "@/db/schema/tasks";
import { waitingRuns } from "@/lib/tasks/waiting-runs";
import { NeedsHumanPanel } from "./needs-human";
import { TaskDependencies } from "./task-dependencies";
import { taskQueryOptions } from "./task-query";

// The parts of the task page that move while agents work: the status, the review link and the runs.
// They read the task's query, which team changes refetch — no page reload.

const REVIEWABLE = ["in_review", "approved", "conflict"];

export function TaskTitleLive({ taskId }: { taskId: string }) {
  const { data } = useQuery(taskQueryOptions(taskId));
  if (!data) return null;
  const { task, runs } = data;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="tabular text-lg text-muted-foreground">#{task.number}</span>
      <h1 className="text-lg font-semibold tracking-tight">{task.title}</h1>
      <TaskStatusBadge status={task.status as TaskStatus} />
      {runs.length > 0 ? (
        <Link
          href={`/tasks/${task.id}/review`}
          className="ml-auto inline-flex h-8 items-center gap-1.5 rounded-md bg-accent px-3 text-sm font-medium text-accent-foreground shadow-sm hover:bg-accent/90"
        >
          {REVIEWABLE.includes(task.status) ? "Review changes" : "View changes"}
        </Link>
      ) : null}
    </div>
  );
}

/** Why the task waits for a person, and the answer form, while it is in Needs a human. */
export function TaskNeedsHumanLive({ taskId, canAnswer }: { taskId: string; canAnswer: boolean }) {
  const { data } = useQuery(taskQueryOptions(taskId));
  if (data?.task.status !== "needs_human") return null;
  return <NeedsHumanPanel taskId={taskId} runs={waitingRuns(data.runs)} canAnswer={canAnswer} />;
}

export function TaskRunsLive({ taskId, names }: { taskId: string; names: RunNames }) {
  const { data } = useQuery(taskQueryOptions(taskId));
  const runs = data?.runs ?? [];
  return (
    <Card>
      <CardHeader
        title="Runs"
        description="Each run is one attempt by an agent on its branch: the first, a follow-up after review, a run again or a conflict resolution."
      />
      {runs.length === 0 ? (
        <p className="px-4 py-6 text-sm text-muted-foreground">No runs yet.</p>
      ) : (
        <RunTable runs={runs} names={names} />
      )}
    </Card>
  );
}

/** "Depends on" with each dependency's status, and "Waiting on #N" until they merge. */
export function TaskDependenciesLive({ taskId }: { taskId: string }) {
  const { data } = useQuery(taskQueryOptions(taskId));
  if (!data) return null;
  return <TaskDependencies {...data.dependencies} />;
}
