// The Messages API wire format for scripted assistant messages: the JSON body of a non-streaming
// response and the exact SSE event sequence of a streaming one. Shared by the tests' fake server
// (lib/testing/fake-anthropic.ts) and the offline demo model's `fetch`, so both speak what the real
// API speaks and the SDK assembles their answers the same way.

export interface ScriptedUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

export type ScriptedBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id?: string; name: string; input: Record<string, unknown> }
  | { type: "thinking"; thinking: string; signature?: string };

export type ScriptedStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

export interface ScriptedMessage {
  content: ScriptedBlock[];
  /** Defaults to "tool_use" when a tool_use block is present, otherwise "end_turn". */
  stop_reason?: ScriptedStopReason;
  usage?: Partial<ScriptedUsage>;
  model?: string;
  id?: string;
}

/** A scripted message with every default filled in (ids, signatures, stop reason, usage). */
export interface WireMessage {
  id: string;
  model: string;
  content: Array<
    | { type: "text"; text: string }
    | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
    | { type: "thinking"; thinking: string; signature: string }
  >;
  stop_reason: ScriptedStopReason;
  usage: ScriptedUsage;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export const DEFAULT_WIRE_MODEL = "claude-haiku-4-5";

/**
 * Fills in defaults. `seq` makes ids unique and predictable (msg_<prefix>_<seq>, toolu_<prefix>_<seq>_<n>).
 */
export function wireMessage(
  scripted: ScriptedMessage,
  options: { seq: number; model?: string; idPrefix?: string },
): WireMessage {
  const prefix = options.idPrefix ?? "fake";
  let toolIndex = 0;
  const content = scripted.content.map((block) => {
    if (block.type === "tool_use") {
      toolIndex += 1;
      return { ...block, id: block.id ?? `toolu_${prefix}_${options.seq}_${toolIndex}` };
    }
    if (block.type === "thinking") {
      return { ...block, signature: block.signature ?? `sig_${prefix}_${options.seq}` };
    }
    return block;
  });
  return {
    id: scripted.id ?? `msg_${prefix}_${options.seq}`,
    model: scripted.model ?? options.model ?? DEFAULT_WIRE_MODEL,
    content,
    stop_reason:
      scripted.stop_reason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn"),
    usage: {
      input_tokens: scripted.usage?.input_tokens ?? 10,
      output_tokens: scripted.usage?.output_tokens ?? 5,
      cache_creation_input_tokens: scripted.usage?.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: scripted.usage?.cache_read_input_tokens ?? 0,
    },
  };
}

/** The body of a non-streaming response. */
export function messageJson(m: WireMessage) {
  return {
    id: m.id,
    type: "message",
    role: "assistant",
    model: m.model,
    content: m.content.map((b) => (b.type === "text" ? { ...b, citations: null } : b)),
    stop_reason: m.stop_reason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: { ...m.usage, service_tier: "standard" },
  };
}

/** Splits a string into about `parts` chunks; never an empty chunk unless the string is empty. */
function chunks(s: string, parts: number): string[] {
  if (s.length === 0) return [""];
  const size = Math.max(1, Math.ceil(s.length / parts));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/**
 * The SSE events the real API sends for this message, in its order: message_start (empty content,
 * input-side usage), per block content_block_start / deltas / content_block_stop (a ping after the
 * first block starts), message_delta (stop_reason, usage.output_tokens), message_stop.
 */
export function messageStreamEvents(m: WireMessage): SseEvent[] {
  const events: SseEvent[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: m.id,
          type: "message",
          role: "assistant",
          model: m.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          stop_details: null,
          container: null,
          usage: {
            input_tokens: m.usage.input_tokens,
            cache_creation_input_tokens: m.usage.cache_creation_input_tokens,
            cache_read_input_tokens: m.usage.cache_read_input_tokens,
            output_tokens: Math.min(1, m.usage.output_tokens),
            service_tier: "standard",
          },
        },
      },
    },
  ];
  const ping = () => events.push({ event: "ping", data: { type: "ping" } });
  m.content.forEach((block, index) => {
    const start = (content_block: Record<string, unknown>) =>
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block },
      });
    const delta = (d: Record<string, unknown>) =>
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: d } });
    if (block.type === "text") {
      start({ type: "text", text: "", citations: null });
      if (index === 0) ping();
      for (const text of chunks(block.text, 3)) delta({ type: "text_delta", text });
    } else if (block.type === "tool_use") {
      start({ type: "tool_use", id: block.id, name: block.name, input: {} });
      if (index === 0) ping();
      // Like the API: an empty first chunk, then the JSON in pieces that cut through tokens.
      delta({ type: "input_json_delta", partial_json: "" });
      for (const partial_json of chunks(JSON.stringify(block.input), 4)) {
        delta({ type: "input_json_delta", partial_json });
      }
    } else {
      start({ type: "thinking", thinking: "", signature: "" });
      if (index === 0) ping();
      for (const thinking of chunks(block.thinking, 2)) delta({ type: "thinking_delta", thinking });
      delta({ type: "signature_delta", signature: block.signature });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  if (m.content.length === 0) ping();
  events.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: m.stop_reason, stop_sequence: null },
      usage: { output_tokens: m.usage.output_tokens },
    },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

/** One SSE event on the wire: an `event:` line, a `data:` line, a blank line. */
export function encodeSseEvent(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** The API's error body shape. */
export function apiErrorBody(errorType: string, message: string) {
  return { type: "error", error: { type: errorType, message } };
}
