// GET /api/v1/runs/:id/events — a JSON page of stored events, or (Accept: text/event-stream) the same
// SSE stream the dashboard uses, which ends once the run's run_finished has gone out, so that
// `curl -N` and scripts exit by themselves instead of waiting on keepalives forever.
import "server-only";
import { isFinishedRun } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { badRequest } from "@/lib/errors";
import { serializeRunEvent } from "@/lib/events/run-event";
import { runEventSource } from "@/lib/runs/event-source";
import { MAX_SEQ, parseCursor, runEventStream } from "@/lib/runs/event-stream";
import { getRun, listRunEvents } from "@/lib/runs/service";
import { searchParam } from "./route";
import { sseResponse } from "./sse";

/**
 * `?after=` as API clients send it: absent is 0; anything but a whole number the seq column can hold
 * is a 400 naming it (the browser's SSE cursor, by contrast, ignores garbage: see parseCursor).
 */
export function apiCursor(request: Request): number {
  const after = searchParam(request, "after");
  if (after !== null && after.trim() !== "") {
    const text = after.trim();
    if (!/^\d+$/.test(text) || Number(text) > MAX_SEQ) {
      throw badRequest(`"after" must be a whole number from 0 to ${MAX_SEQ}.`, "after");
    }
  }
  return parseCursor(request.headers.get("last-event-id"), after);
}

/** Stored events after `?after=` (or Last-Event-ID), and whether more can come. */
export async function runEventsJson(actor: Actor, runId: string, request: Request) {
  const after = apiCursor(request);
  const run = await getRun(actor, runId);
  const events = await listRunEvents(actor, run.id, after);
  return {
    events: events.map(serializeRunEvent),
    /**
     * Pass as `after` to get only newer events. Never past the last stored event: with nothing after
     * the cursor, the run's last seq (a cursor beyond it is answered with the real one).
     */
    lastSeq: events.at(-1)?.seq ?? Math.min(after, run.lastSeq),
    finished: isFinishedRun(run),
  };
}

export async function runEventsStream(actor: Actor, runId: string, request: Request) {
  // Checked before the stream opens, so a refusal is a plain JSON error.
  const after = apiCursor(request);
  const run = await getRun(actor, runId);
  return sseResponse(runEventStream({ source: runEventSource(run.id), after, signal: request.signal }));
}
