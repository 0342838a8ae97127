"use client";

import { useQuery } from "@tanstack/react-query";
import { Scale } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ACTIVE_RUN_STATUSES, JUDGE_RUN_KIND, REVIEWABLE_OUTCOMES } from "@/db/schema/run-statuses";
import {
  CancelRunButton,
  DownloadJsonLink,
  ReviewChangesLink,
  RunAgainButton,
  SendMessageForm,
} from "./run-controls";
import { RunHeader } from "./run-header";
import { runQueries } from "./run-query";
import { RunTimeline } from "./run-timeline";
import { useRunStream } from "./use-run-stream";

/**
 * The run page below the server: the run and its events come prefetched in the query cache, the
 * run's event stream keeps both current (no page re-render per event), and the header, the timeline
 * and the controls read from the cache.
 */
export function RunPage({
  runId,
  task,
  agentName,
  canAssign,
  canApprove,
  watch,
  waitingOn,
}: {
  runId: string;
  task: { id: string; number: number; title: string };
  agentName: string;
  canAssign: boolean;
  canApprove: boolean;
  /** The run was active when the page was served: follow it until its run_finished event. */
  watch: boolean;
  /** What the run's task waits on (its queued run starts once these merge). */
  waitingOn: { taskId: string; number: number }[];
}) {
  const { data: run } = useQuery(runQueries.detail(runId));
  const { data: events = [] } = useQuery(runQueries.events(runId));
  const finished = events.some((e) => e.type === "run_finished");
  const live = watch && !finished;
  const draft = useRunStream(runId, live);
  if (!run) return null;
  // The events are the faster signal: a stored run_finished ends the run on screen at once.
  const active = ACTIVE_RUN_STATUSES.has(run.status) && !finished;
  const judge = run.kind === JUDGE_RUN_KIND;
  const eventCount = `${events.length} ${events.length === 1 ? "event" : "events"}`;

  return (
    <>
      <RunHeader
        run={run}
        task={task}
        agentName={agentName}
        waitingOn={waitingOn}
        controls={
          <div className="flex flex-wrap items-start justify-end gap-2">
            <DownloadJsonLink runId={run.id} />
            {canAssign && active ? (
              <CancelRunButton runId={run.id} requested={Boolean(run.cancelRequestedAt)} />
            ) : null}
            {judge ? (
              // A judge's run changes nothing: its answer is the ranking on the Compare view.
              !active ? (
                <Button asChild size="sm">
                  <Link href={`/tasks/${task.id}/compare`}>
                    <Scale aria-hidden /> See the ranking
                  </Link>
                </Button>
              ) : null
            ) : (
              <>
                {canAssign && !active ? (
                  <RunAgainButton runId={run.id} primary={run.outcome !== "changes_ready"} />
                ) : null}
                {!active &&
                (run.outcome ? REVIEWABLE_OUTCOMES.has(run.outcome) : run.status === "succeeded") ? (
                  <ReviewChangesLink taskId={task.id} runId={run.id} />
                ) : null}
              </>
            )}
          </div>
        }
      />
      <Card>
        <CardHeader title="Steps" description={active ? `${eventCount}, live` : eventCount} />
        <RunTimeline
          runId={run.id}
          events={events}
          draft={draft}
          active={active}
          status={run.status}
          canApprove={canApprove}
        />
      </Card>
      {active && canAssign ? (
        <Card className="mt-4 p-4">
          <SendMessageForm runId={run.id} />
        </Card>
      ) : null}
    </>
  );
}
