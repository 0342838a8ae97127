// One model call: stream it, publish token deltas live, and retry what can be retried — each retry is
// reported so it can be stored as a run event. The SDK's own retries are off for these calls so that
// every retry (429, 529, 5xx, a stream cut mid-message) is visible in the timeline.
import Anthropic from "@anthropic-ai/sdk";

export interface RetryNotice {
  attempt: number;
  reason: string;
  delayMs: number;
  status?: number;
}

export interface ModelCallOptions {
  client: Anthropic;
  params: Anthropic.MessageCreateParamsNonStreaming;
  signal: AbortSignal;
  onDelta?: (delta: { blockIndex: number; kind: "text" | "thinking"; text: string }) => void;
  /** The reply has begun a tool call (its input still streaming). */
  onToolUse?: (name: string) => void;
  onRetry: (notice: RetryNotice) => Promise<void>;
  maxAttempts?: number;
  baseDelayMs?: number;
}

export interface ModelCallResult {
  message: Anthropic.Message;
  modelMs: number;
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
export const RETRY_BASE_MS = Number(process.env.FOREMAN_RETRY_BASE_MS ?? 1000);

function retryAfterMs(error: InstanceType<typeof Anthropic.APIError>): number | null {
  const headers = error.headers;
  if (!headers) return null;
  const ms = Number(headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && headers.get("retry-after-ms") !== null) return ms;
  const value = headers.get("retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

/** Whether (and why) a failed call may be tried again; null when it must not. */
export function classifyFailure(
  error: unknown,
): { reason: string; status?: number; waitMs: number | null } | null {
  if (error instanceof Anthropic.APIUserAbortError) return null;
  if (error instanceof Anthropic.APIConnectionError) {
    return { reason: `connection failed: ${error.message}`, waitMs: null };
  }
  if (error instanceof Anthropic.APIError) {
    if (error.status === undefined) return { reason: `stream interrupted: ${error.message}`, waitMs: null };
    if (!RETRYABLE_STATUS.has(error.status)) return null;
    const kind = (error.error as { error?: { type?: string } } | undefined)?.error?.type ?? "error";
    return { reason: `${error.status} ${kind}`, status: error.status, waitMs: retryAfterMs(error) };
  }
  // A stream cut after the headers surfaces as a plain error from the SSE reader.
  if (error instanceof Error && !(error instanceof TypeError && /invalid|undefined/.test(error.message))) {
    return { reason: `stream interrupted: ${error.message}`, waitMs: null };
  }
  return null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export async function callModel(options: ModelCallOptions): Promise<ModelCallResult> {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? RETRY_BASE_MS;
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      const stream = options.client.messages.stream(options.params, {
        signal: options.signal,
        maxRetries: 0,
      });
      const { onDelta, onToolUse } = options;
      if (onDelta || onToolUse) {
        stream.on("streamEvent", (event) => {
          if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
            onToolUse?.(event.content_block.name);
            return;
          }
          if (event.type !== "content_block_delta" || !onDelta) return;
          if (event.delta.type === "text_delta") {
            onDelta({ blockIndex: event.index, kind: "text", text: event.delta.text });
          } else if (event.delta.type === "thinking_delta") {
            onDelta({ blockIndex: event.index, kind: "thinking", text: event.delta.thinking });
          }
        });
      }
      const message = await stream.finalMessage();
      return { message, modelMs: Date.now() - started };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason ?? error;
      const failure = classifyFailure(error);
      if (!failure || attempt >= maxAttempts) throw error;
      const backoff = Math.min(30_000, base * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      const delayMs = Math.round(Math.min(60_000, failure.waitMs ?? backoff));
      await options.onRetry({ attempt, reason: failure.reason, delayMs, status: failure.status });
      await sleep(delayMs, options.signal);
    }
  }
}
