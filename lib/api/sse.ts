// Server-sent events: the one way every stream (a run's events, team changes, spend) frames its messages
// and answers with its body.

/** The client asked for a stream (an EventSource, `curl -H 'Accept: text/event-stream'`), not JSON. */
export function wantsEventStream(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes("text/event-stream");
}

/** One SSE message: `event` names it for the client's listener; `id` is what Last-Event-ID resumes from. */
export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_KEEPALIVE = ": keepalive\n\n";

/** How long a browser waits before reconnecting a dropped stream. */
export const SSE_RETRY = "retry: 3000\n\n";

/** The response for a stream: never cached, never buffered or transformed by a proxy on the way. */
export function sseResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
