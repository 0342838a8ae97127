// A scripted fake of the Anthropic Messages API on loopback, for tests. The real SDK talks to it over
// HTTP (baseURL = fake.url), so the whole SDK code path runs: SSE parsing, message assembly, retries.
//
//   const fake = await startFakeAnthropic();
//   fake.enqueue(fakeMessage([{ type: "text", text: "Hello" }]));
//   const client = createModelClient({ apiKey: "test", baseURL: fake.url, maxRetries: 0 });
//   ... fake.requests[0].body.messages ...
//   await fake.close();
//
// Each POST /v1/messages takes the next scripted step. Streaming requests get genuine SSE in the real
// API's event order; non-streaming ones get the JSON message. A request with nothing scripted gets a
// 500 with `x-should-retry: false`, so a test that under-scripts fails loudly instead of hanging.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { wordByWord } from "@/lib/demo/model";
import {
  apiErrorBody,
  encodeSseEvent,
  messageJson,
  messageStreamEvents,
  type ScriptedBlock,
  type ScriptedMessage,
  type ScriptedStopReason,
  type ScriptedUsage,
  wireMessage,
} from "@/lib/engine/messages-wire";

export type FakeUsage = ScriptedUsage;
export type FakeBlock = ScriptedBlock;
export type FakeStopReason = ScriptedStopReason;

export interface FakeMessageStep {
  kind: "message";
  content: FakeBlock[];
  /** Defaults to "tool_use" when a tool_use block is present, otherwise "end_turn". */
  stop_reason?: FakeStopReason;
  usage?: Partial<FakeUsage>;
  /** Defaults to the model named in the request. */
  model?: string;
  id?: string;
  /** Pause between SSE events (lets tests observe a stream in flight or abort it). */
  eventDelayMs?: number;
  /** Text deltas a word at a time, as a real model streams (default: a few large chunks). */
  wordByWord?: boolean;
  /**
   * Awaited before the reply's closing events (message_delta, message_stop): everything has streamed
   * but the reply isn't finished, for as long as a test needs to look at a run mid-reply.
   */
  hold?: () => Promise<void>;
}

export interface FakeErrorStep {
  kind: "error";
  status: number;
  /** The API's error type: rate_limit_error, overloaded_error, invalid_request_error, api_error … */
  errorType: string;
  message?: string;
  /** Sent as the `retry-after` header (seconds), which the SDK honours. */
  retryAfter?: number | string;
  headers?: Record<string, string>;
}

export interface FakeCutStep {
  kind: "cut";
  /** The message the stream would have carried; only its first events are sent. */
  content: FakeBlock[];
  usage?: Partial<FakeUsage>;
  /** How many SSE events (message_start included) go out before the socket is destroyed. Default 3. */
  afterEvents?: number;
}

/** The API reporting an error inside an already-started stream (`event: error`). */
export interface FakeStreamErrorStep {
  kind: "stream_error";
  errorType: string;
  message?: string;
  /** Partial message events sent before the error event. Default: message_start only. */
  content?: FakeBlock[];
  afterEvents?: number;
}

export type FakeStaticStep = FakeMessageStep | FakeErrorStep | FakeCutStep | FakeStreamErrorStep;
export type FakeStepFunction = (request: FakeRequest) => FakeStaticStep | Promise<FakeStaticStep>;
export type FakeStep = FakeStaticStep | FakeStepFunction;

export interface FakeRequest {
  /** 0-based order of arrival. */
  index: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (null when the body wasn't JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests assert freely on what the model was sent.
  body: any;
}

export interface FakeAnthropic {
  /** Base URL for the SDK (`baseURL`), e.g. http://127.0.0.1:54321 */
  url: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  enqueue(...steps: FakeStep[]): void;
  /** Steps not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

// ---- step builders -------------------------------------------------------------------------------

export function fakeMessage(
  content: FakeBlock[],
  options: Omit<FakeMessageStep, "kind" | "content"> = {},
): FakeMessageStep {
  return { kind: "message", content, ...options };
}

export function fakeText(text: string, options: Omit<FakeMessageStep, "kind" | "content"> = {}) {
  return fakeMessage([{ type: "text", text }], options);
}

export function fakeToolUse(
  name: string,
  input: Record<string, unknown>,
  options: Omit<FakeMessageStep, "kind" | "content"> & { text?: string; toolUseId?: string } = {},
): FakeMessageStep {
  const { text, toolUseId, ...rest } = options;
  const blocks: FakeBlock[] = [];
  if (text) blocks.push({ type: "text", text });
  blocks.push({ type: "tool_use", id: toolUseId, name, input });
  return fakeMessage(blocks, rest);
}

export function fakeError(
  status: number,
  errorType: string,
  options: Omit<FakeErrorStep, "kind" | "status" | "errorType"> = {},
): FakeErrorStep {
  return { kind: "error", status, errorType, ...options };
}

export const fakeRateLimited = (retryAfter?: number | string) =>
  fakeError(429, "rate_limit_error", {
    message: "Number of request tokens has exceeded your rate limit.",
    retryAfter,
  });

export const fakeOverloaded = (retryAfter?: number | string) =>
  fakeError(529, "overloaded_error", { message: "Overloaded", retryAfter });

export function fakeCut(content: FakeBlock[], afterEvents = 3): FakeCutStep {
  return { kind: "cut", content, afterEvents };
}

function resolveMessage(step: ScriptedMessage, request: FakeRequest) {
  const model = typeof request.body?.model === "string" ? request.body.model : undefined;
  return wireMessage(step, { seq: request.index + 1, model });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- server --------------------------------------------------------------------------------------

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "request-id": `req_fake_${Date.now()}`,
    ...headers,
  });
  res.end(text);
}

function startSse(res: http.ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "request-id": `req_fake_${Date.now()}`,
  });
  res.flushHeaders();
}

/** Writes and waits until the chunk is handed to the socket, so a later destroy can't swallow it. */
function write(res: http.ServerResponse, text: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(text, (err) => (err ? reject(err) : resolve())));
}

export interface FakeAnthropicOptions {
  /** Fixed port (default: any free one). */
  port?: number;
  /**
   * Chooses each request's answer instead of the queue: a step, or a whole web Response to pipe through
   * (the e2e server hands unscripted requests to the offline demo model this way).
   */
  route?: (request: FakeRequest) => FakeStaticStep | Response | Promise<FakeStaticStep | Response>;
  /** Answers `GET /__requests` with this JSON (what tests assert on, from another process). */
  records?: () => unknown;
  /** Other test-control requests (not /v1/messages): a JSON body to answer with, or undefined for 404. */
  control?: (request: FakeRequest) => unknown;
}

async function pipeResponse(res: http.ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  res.flushHeaders();
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (res.destroyed) return;
      await new Promise<void>((resolve, reject) =>
        res.write(chunk, (err) => (err ? reject(err) : resolve())),
      );
    }
  }
  res.end();
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const queue: FakeStep[] = [];
  const requests: FakeRequest[] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const raw = await readBody(req);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const request: FakeRequest = {
      index: requests.length,
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body,
    };
    requests.push(request);

    if (options.records && request.method === "GET" && path === "/__requests") {
      sendJson(res, 200, options.records());
      return;
    }
    const controlled = path !== "/v1/messages" ? options.control?.(request) : undefined;
    if (controlled !== undefined) {
      sendJson(res, 200, controlled);
      return;
    }
    if (request.method !== "POST" || path !== "/v1/messages") {
      sendJson(
        res,
        404,
        apiErrorBody("not_found_error", `fake-anthropic: no route for ${request.method} ${path}`),
        {
          "x-should-retry": "false",
        },
      );
      return;
    }
    if (options.route) {
      const routed = await options.route(request);
      if (routed instanceof Response) return pipeResponse(res, routed);
      return serveStep(res, request, routed);
    }
    const next = queue.shift();
    if (!next) {
      sendJson(
        res,
        500,
        apiErrorBody("api_error", `fake-anthropic: no scripted step left for request #${request.index + 1}`),
        { "x-should-retry": "false" },
      );
      return;
    }
    const step = typeof next === "function" ? await next(request) : next;
    return serveStep(res, request, step);
  }

  async function serveStep(res: http.ServerResponse, request: FakeRequest, step: FakeStaticStep) {
    const streaming = request.body?.stream === true;

    switch (step.kind) {
      case "error": {
        const headers: Record<string, string> = { ...step.headers };
        if (step.retryAfter !== undefined) headers["retry-after"] = String(step.retryAfter);
        sendJson(res, step.status, apiErrorBody(step.errorType, step.message ?? step.errorType), headers);
        return;
      }
      case "message": {
        const message = resolveMessage(step, request);
        if (!streaming) {
          sendJson(res, 200, messageJson(message));
          return;
        }
        startSse(res);
        const events = messageStreamEvents(message);
        let held = false;
        for (const event of step.wordByWord ? wordByWord(events) : events) {
          if (res.destroyed) return;
          if (step.hold && !held && event.event === "message_delta") {
            held = true;
            await step.hold();
          }
          if (step.eventDelayMs) await sleep(step.eventDelayMs);
          await write(res, encodeSseEvent(event));
        }
        res.end();
        return;
      }
      case "cut": {
        const message = resolveMessage(step, request);
        if (!streaming) {
          // Headers promise the whole body; half of it arrives, then the connection drops.
          const text = JSON.stringify(messageJson(message));
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(text),
          });
          await write(res, text.slice(0, Math.floor(text.length / 2)));
          res.socket?.destroy();
          return;
        }
        const events = messageStreamEvents(message);
        startSse(res);
        for (const event of events.slice(0, Math.max(1, step.afterEvents ?? 3))) {
          await write(res, encodeSseEvent(event));
        }
        // No terminating chunk: the client sees a connection reset mid-body, as when a proxy dies.
        res.socket?.destroy();
        return;
      }
      case "stream_error": {
        if (!streaming) {
          sendJson(res, 500, apiErrorBody(step.errorType, step.message ?? step.errorType), {
            "x-should-retry": "false",
          });
          return;
        }
        const events = messageStreamEvents(resolveMessage({ content: step.content ?? [] }, request));
        startSse(res);
        for (const event of events.slice(0, Math.max(1, step.afterEvents ?? 1))) {
          await write(res, encodeSseEvent(event));
        }
        await write(
          res,
          encodeSseEvent({
            event: "error",
            data: apiErrorBody(step.errorType, step.message ?? step.errorType),
          }),
        );
        res.end();
        return;
      }
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, apiErrorBody("api_error", `fake-anthropic: ${String(err)}`), {
          "x-should-retry": "false",
        });
      } else {
        res.socket?.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...steps) => {
      queue.push(...steps);
    },
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
