import { apiRoute } from "@/lib/api/route";
import { runEventsJson, runEventsStream } from "@/lib/api/run-events";
import { wantsEventStream } from "@/lib/api/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** `?after=SEQ` (or Last-Event-ID); `Accept: text/event-stream` streams until the run finishes. */
export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  wantsEventStream(request)
    ? runEventsStream(actor, params.id, request)
    : runEventsJson(actor, params.id, request),
);
