import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunPage as RunPageClient } from "@/components/runs/run-page";
import { runQueries } from "@/components/runs/run-query";
import { BackLink } from "@/components/tasks/back-link";
import type { Run } from "@/db/schema";
import { ACTIVE_RUN_STATUSES } from "@/db/schema/run-statuses";
import { getAgent } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { serializeRunEvent } from "@/lib/events/run-event";
import { makeQueryClient } from "@/lib/query/client";
import { getRun, listRunEvents } from "@/lib/runs/service";
import { runView } from "@/lib/runs/views";
import { taskDependenciesView } from "@/lib/tasks/dependency-queries";
import { getTask } from "@/lib/tasks/service";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  let run: Run;
  try {
    run = await getRun(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const [events, { task }, agent] = await Promise.all([
    listRunEvents(actor, run.id),
    getTask(actor, run.taskId),
    getAgent(actor, run.agentId),
  ]);
  const { waitingOn } = await taskDependenciesView(actor, task);
  // A step stored between the two reads: read the row again, so the header never trails the timeline.
  if ((events.at(-1)?.seq ?? 0) > run.lastSeq) run = await getRun(actor, id);
  // The page's data goes to the browser in its query cache; the event stream takes it from there.
  const queryClient = makeQueryClient();
  queryClient.setQueryData(runQueries.detail(run.id).queryKey, runView(run));
  queryClient.setQueryData(runQueries.events(run.id).queryKey, events.map(serializeRunEvent));

  return (
    <div className="max-w-5xl">
      <BackLink href={`/tasks/${task.id}`}>Task #{task.number}</BackLink>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RunPageClient
          runId={run.id}
          task={{ id: task.id, number: task.number, title: task.title }}
          agentName={agent.name}
          canAssign={can(actor, "tasks:assign")}
          canApprove={can(actor, "runs:approve")}
          watch={ACTIVE_RUN_STATUSES.has(run.status)}
          waitingOn={waitingOn}
        />
      </HydrationBoundary>
    </div>
  );
}
