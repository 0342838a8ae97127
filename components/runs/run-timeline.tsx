"use client";

import { ArrowDown } from "lucide-react";
import { memo, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import type { Draft } from "@/lib/events/draft";
import type { RunEventJson } from "@/lib/events/run-event";
import { buildTimeline, type EventItem, type StepItem } from "@/lib/runs/timeline";
import { EventEntry } from "./event-entry";
import { LiveDraft } from "./live-draft";
import { StepEntry } from "./step-entry";
import { TimelineContext } from "./step-parts";
import { useFollow } from "./use-follow";
import { useHashTarget } from "./use-hash-target";

// An entry re-renders only when something was added to it, not at every event of the run.
const sameItem = <T extends { version: number; anchor: string }>(a: { item: T }, b: { item: T }) =>
  a.item.version === b.item.version && a.item.anchor === b.item.anchor;
const MemoStep = memo(StepEntry, sameItem<StepItem>);
const MemoEvent = memo(EventEntry, sameItem<EventItem>);

/** The run's timeline: one entry per step, the live draft below, following the end while it grows. */
export function RunTimeline({
  runId,
  events,
  draft,
  active,
  status,
  canApprove,
}: {
  runId: string;
  events: RunEventJson[];
  draft: Draft | null;
  active: boolean;
  status: string;
  canApprove: boolean;
}) {
  const items = useMemo(() => buildTimeline(events), [events]);
  const highlighted = useHashTarget(items.length);
  // Someone who came for #step-12 stays there rather than being carried to the end.
  const [startPaused] = useState(() => typeof window !== "undefined" && window.location.hash.length > 1);
  const draftSize = draft?.blocks.reduce((n, b) => n + b.text.length, 0) ?? 0;
  const { following, jump } = useFollow(active, `${events.length}:${draftSize}`, startPaused);
  const context = useMemo(
    () => ({ runId, active, canApprove, highlighted }),
    [runId, active, canApprove, highlighted],
  );

  return (
    <TimelineContext.Provider value={context}>
      {items.length === 0 && !active ? (
        <p className="px-4 py-6 text-sm text-muted-foreground">Nothing happened in this run.</p>
      ) : (
        // data-last-seq: the newest event this list shows, committed with it (bench:live times the DOM by it).
        <ol className="divide-y" aria-label="Steps" data-last-seq={events.at(-1)?.seq ?? 0}>
          {items.map((item) =>
            item.kind === "step" ? (
              <MemoStep key={item.anchor} item={item} />
            ) : (
              <MemoEvent key={item.anchor} item={item} />
            ),
          )}
          {active ? <LiveDraft draft={draft} status={status} /> : null}
        </ol>
      )}
      {active && !following ? (
        <div className="pointer-events-none fixed inset-x-0 bottom-6 z-20 flex justify-center pl-56">
          <Button size="sm" onClick={jump} className="pointer-events-auto rounded-full shadow-md">
            <ArrowDown aria-hidden /> Jump to latest
          </Button>
        </div>
      ) : null}
    </TimelineContext.Provider>
  );
}
