import type { NextRequest } from "next/server";
import { errorResponse, readParams } from "@/lib/api/route";
import { sseResponse, wantsEventStream } from "@/lib/api/sse";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { serializeRunEvent } from "@/lib/events/run-event";
import { runEventSource } from "@/lib/runs/event-source";
import { parseCursor, runEventStream } from "@/lib/runs/event-stream";
import { getRun, listRunEvents } from "@/lib/runs/service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Server-sent events of one run: stored events after the cursor, then live ones, ending once the run's
 * run_finished has gone out. Asked for JSON (any
 * Accept without text/event-stream), the stored events after `?after=` as a list, for the query cache.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  // Every check happens before the stream opens, so a refusal is a plain JSON error.
  const reading = readParams({ params }); // handled at once, awaited below: see apiRoute
  reading.catch(() => {});
  const actor = await currentActor();
  if (!actor) return new AppError("unauthorized", "Sign in to watch runs.").toResponse();
  let runId: string;
  try {
    const { id } = await reading;
    runId = (await getRun(actor, id)).id;
  } catch (error) {
    // A broken percent-escape in the id is a 400, like the REST API's.
    return errorResponse(error);
  }

  const cursor = parseCursor(request.headers.get("last-event-id"), request.nextUrl.searchParams.get("after"));
  if (!wantsEventStream(request)) {
    const events = await listRunEvents(actor, runId, cursor);
    return Response.json(
      { events: events.map(serializeRunEvent) },
      { headers: { "Cache-Control": "no-store" } },
    );
  }

  return sseResponse(
    runEventStream({ source: runEventSource(runId), after: cursor, signal: request.signal }),
  );
}
