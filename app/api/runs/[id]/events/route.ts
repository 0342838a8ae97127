import type { NextRequest } from "next/server";
import { errorResponse, readParams } from "@/lib/api/route";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { subscribe } from "@/lib/events/bus";
import { liveDraft } from "@/lib/events/live-drafts";
import { parseCursor, runEventStream } from "@/lib/runs/event-stream";
import { getRun, listRunEvents } from "@/lib/runs/service";
import { runEventView } from "@/lib/runs/views";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Server-sent events of one run: stored events after the cursor, then live ones. Asked for JSON (any
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
  if (!request.headers.get("accept")?.includes("text/event-stream")) {
    const events = await listRunEvents(actor, runId, cursor);
    return Response.json({ events: events.map(runEventView) }, { headers: { "Cache-Control": "no-store" } });
  }

  const stream = runEventStream({
    source: {
      subscribe: (listener) => subscribe({ runId }, listener),
      readAfter: (afterSeq) => listRunEvents(actor, runId, afterSeq),
      draft: () => liveDraft(runId),
    },
    after: cursor,
    signal: request.signal,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
