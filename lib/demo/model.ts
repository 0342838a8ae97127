// The offline demo model: the real SDK over a `fetch` that answers with genuine Messages-API SSE,
// so the whole client code path runs and only the network is replaced.

import type Anthropic from "@anthropic-ai/sdk";
import { encodeSseEvent, messageStreamEvents, type SseEvent, wireMessage } from "@/lib/engine/messages-wire";
import { createModelClient, DEMO_API_KEY, type ModelFetch } from "@/lib/engine/model-client";
import { DEMO_MODEL, demoReply } from "./script";

let sequence = 0;
const TOKEN_DELAY_MS = Number(process.env.FOREMAN_DEMO_TOKEN_MS ?? 25);

/** Word-sized text deltas, the way a real model streams. */
export function wordByWord(events: SseEvent[]): SseEvent[] {
  return events.flatMap((event) => {
    const data = event.data as { type?: string; index?: number; delta?: { type?: string; text?: string } };
    if (data.type !== "content_block_delta" || data.delta?.type !== "text_delta") return [event];
    const words = (data.delta.text ?? "").match(/\S+\s*|\s+/g) ?? [""];
    return words.map((text) => ({
      event: event.event,
      data: { ...data, delta: { type: "text_delta", text } },
    }));
  });
}

export const demoFetch: ModelFetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!url.includes("/v1/messages")) {
    return Response.json(
      { type: "error", error: { type: "not_found_error", message: "demo model" } },
      { status: 404 },
    );
  }
  const body = JSON.parse(String(init?.body ?? "{}"));
  const scripted = demoReply(body);
  const inputTokens = Math.ceil(String(init?.body ?? "").length / 4);
  const outputTokens = Math.ceil(JSON.stringify(scripted.content).length / 4);
  const message = wireMessage(
    { ...scripted, usage: { input_tokens: inputTokens, output_tokens: outputTokens } },
    { seq: ++sequence, model: DEMO_MODEL, idPrefix: "demo" },
  );
  const events = wordByWord(messageStreamEvents(message));
  const signal = init?.signal;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const encoder = new TextEncoder();
      for (const event of events) {
        if (signal?.aborted) break;
        controller.enqueue(encoder.encode(encodeSseEvent(event)));
        if (event.event === "content_block_delta") await new Promise((r) => setTimeout(r, TOKEN_DELAY_MS));
      }
      controller.close();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { "content-type": "text/event-stream", "request-id": `req_demo_${sequence}` },
  });
};

/**
 * The demo agent's client: the real SDK over demoFetch. Only the demo model runs on it, key or no key.
 * FOREMAN_DEMO_MODEL_URL (the end-to-end tests' fake Messages API, which plays this same script unless a
 * prompt names a scenario) sends the demo agent's requests over loopback instead.
 */
export function demoModelClient(): Anthropic {
  const testEndpoint = process.env.FOREMAN_DEMO_MODEL_URL?.trim();
  return testEndpoint
    ? createModelClient({ apiKey: DEMO_API_KEY, baseURL: testEndpoint })
    : createModelClient({ apiKey: DEMO_API_KEY, fetch: demoFetch });
}
