// A run's events as its SSE stream reads them: the bus for notices, the table for stored events, the
// live draft for a reply in progress. The caller has checked that the person may read the run.
import "server-only";
import { subscribe } from "@/lib/events/bus";
import { liveDraft } from "@/lib/events/live-drafts";
import { readRunEventsShared, runEndedBy } from "@/lib/events/read";
import type { RunEventSource } from "./event-stream";

export function runEventSource(runId: string): RunEventSource {
  return {
    subscribe: (listener) => subscribe({ runId }, listener),
    readAfter: (afterSeq) => readRunEventsShared(runId, afterSeq),
    endedBy: (seq) => runEndedBy(runId, seq),
    draft: () => liveDraft(runId),
  };
}
