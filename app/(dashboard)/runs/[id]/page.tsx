import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveRun } from "@/components/runs/live-run";
import { CancelRunButton, SendMessageForm } from "@/components/runs/run-controls";
import { RunHeader } from "@/components/runs/run-header";
import { RunSteps } from "@/components/runs/run-steps";
import { BackLink } from "@/components/tasks/back-link";
import { Card, CardHeader } from "@/components/ui/card";
import { ACTIVE_RUN_STATUSES } from "@/components/ui/status-badge";
import type { Run } from "@/db/schema";
import { getAgent } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getRun, listRunEvents } from "@/lib/runs/service";
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
  const active = ACTIVE_RUN_STATUSES.has(run.status);
  const canAssign = can(actor, "tasks:assign");
  const lastSeq = events.at(-1)?.seq ?? 0;

  return (
    <div className="max-w-5xl">
      <BackLink href={`/tasks/${task.id}`}>Task #{task.number}</BackLink>
      <RunHeader
        run={run}
        task={task}
        agentName={agent.name}
        controls={
          active && canAssign ? (
            <CancelRunButton runId={run.id} requested={Boolean(run.cancelRequestedAt)} />
          ) : null
        }
      />
      <Card>
        <CardHeader
          title="Steps"
          description={`${events.length} ${events.length === 1 ? "event" : "events"}${active ? ", live" : ""}`}
        />
        {events.length === 0 && !active ? (
          <p className="px-4 py-6 text-sm text-muted-foreground">Nothing happened in this run.</p>
        ) : (
          <RunSteps runId={run.id} events={events} active={active} canApprove={can(actor, "runs:approve")} />
        )}
        <LiveRun runId={run.id} status={run.status} active={active} lastSeq={lastSeq} />
      </Card>
      {active && canAssign ? (
        <Card className="mt-4 p-4">
          <SendMessageForm runId={run.id} />
        </Card>
      ) : null}
    </div>
  );
}
