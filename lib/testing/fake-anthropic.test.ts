import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createModelClient } from "@/lib/engine/model-client";
import { FINISH_TASK_TOOL, TOOL_DEFINITIONS } from "@/lib/engine/tools/definitions";
import {
  type FakeAnthropic,
  fakeCut,
  fakeError,
  fakeMessage,
  fakeOverloaded,
  fakeRateLimited,
  fakeText,
  fakeToolUse,
  startFakeAnthropic,
} from "./fake-anthropic";

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

const client = (maxRetries = 0) =>
  createModelClient({ apiKey: "sk-test-key", baseURL: fake.url, maxRetries });
const base = {
  model: "claude-haiku-4-5",
  max_tokens: 1024,
  messages: [{ role: "user" as const, content: "Fix the failing test" }],
};

/** The raw SSE body the fake sends for a streaming request, fetched without the SDK. */
async function rawSse(): Promise<string> {
  const res = await fetch(`${fake.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...base, stream: true }),
  });
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return res.text();
}

describe("fake Messages API: wire format", () => {
  it("streams genuine SSE: an event line on every event, in the API's order", async () => {
    const toolInput = { command: "npm test -- --grep 'a \"quoted\" name'", nested: { list: [1, 2, 3] } };
    fake.enqueue(
      fakeMessage([
        { type: "thinking", thinking: "Let me look at the tests first." },
        { type: "text", text: "I'll run the test suite now." },
        { type: "tool_use", name: "bash", input: toolInput },
      ]),
    );
    const body = await rawSse();
    const frames = body.split("\n\n").filter((f) => f.length > 0);
    const events = frames.map((frame) => {
      const lines = frame.split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^event: [a-z_]+$/);
      expect(lines[1]).toMatch(/^data: /);
      const name = (lines[0] ?? "").slice("event: ".length);
      const data = JSON.parse((lines[1] ?? "").slice("data: ".length));
      expect(data.type).toBe(name);
      return data;
    });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("message_start");
    expect(types.at(-2)).toBe("message_delta");
    expect(types.at(-1)).toBe("message_stop");
    expect(types).toContain("ping");
    expect(events[0].message.content).toEqual([]);
    expect(events[0].message.usage.input_tokens).toBe(10);
    expect(types.filter((t) => t === "content_block_start")).toHaveLength(3);
    expect(types.filter((t) => t === "content_block_stop")).toHaveLength(3);

    const deltas = events.filter((e) => e.type === "content_block_delta").map((e) => e.delta);
    const deltaTypes = new Set(deltas.map((d) => d.type));
    expect(deltaTypes).toEqual(
      new Set(["thinking_delta", "signature_delta", "text_delta", "input_json_delta"]),
    );
    const jsonChunks = deltas.filter((d) => d.type === "input_json_delta").map((d) => d.partial_json);
    expect(jsonChunks.filter((c) => c.length > 0).length).toBeGreaterThan(1);
    expect(JSON.parse(jsonChunks.join(""))).toEqual(toolInput);

    const messageDelta = events.at(-2);
    expect(messageDelta.delta.stop_reason).toBe("tool_use");
    expect(messageDelta.usage.output_tokens).toBe(5);
  });

  it("answers a request with nothing scripted with a loud, non-retryable error", async () => {
    await expect(client(2).messages.create(base)).rejects.toThrow(/no scripted step left for request #1/);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("fake Messages API with the real SDK", () => {
  it("lets messages.stream().finalMessage() assemble text, thinking, tool_use input and usage", async () => {
    const input = { command: "grep -rn 'TODO' src | head -n 5", path: "src/ünïcødé.ts" };
    fake.enqueue(
      fakeMessage(
        [
          { type: "thinking", thinking: "The user wants the TODOs.", signature: "sig-123" },
          { type: "text", text: "Searching for TODO markers across the source tree." },
          { type: "tool_use", id: "toolu_01", name: "bash", input },
        ],
        {
          usage: {
            input_tokens: 1200,
            output_tokens: 87,
            cache_creation_input_tokens: 300,
            cache_read_input_tokens: 4000,
          },
        },
      ),
    );
    const texts: string[] = [];
    const stream = client().messages.stream({ ...base, tools: TOOL_DEFINITIONS });
    stream.on("text", (delta) => texts.push(delta));
    const message = await stream.finalMessage();

    expect(message.id).toBe("msg_fake_1");
    expect(message.model).toBe("claude-haiku-4-5");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toHaveLength(3);
    const [thinking, text, toolUse] = message.content;
    expect(thinking).toMatchObject({
      type: "thinking",
      thinking: "The user wants the TODOs.",
      signature: "sig-123",
    });
    expect(text).toMatchObject({ type: "text", text: "Searching for TODO markers across the source tree." });
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("")).toBe("Searching for TODO markers across the source tree.");
    expect(toolUse).toMatchObject({ type: "tool_use", id: "toolu_01", name: "bash", input });
    expect(message.usage).toMatchObject({
      input_tokens: 1200,
      output_tokens: 87,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 4000,
    });
  });

  it("records what the model was sent: body and headers", async () => {
    fake.enqueue(fakeText("ok"));
    await client()
      .messages.stream({ ...base, system: "You are careful.", tools: TOOL_DEFINITIONS })
      .finalMessage();
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/messages");
    expect(request?.body.stream).toBe(true);
    expect(request?.body.system).toBe("You are careful.");
    expect(request?.body.messages).toEqual(base.messages);
    expect(request?.body.tools).toEqual([
      { type: "bash_20250124", name: "bash" },
      { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
      FINISH_TASK_TOOL,
    ]);
    expect(request?.headers["anthropic-version"]).toBeTruthy();
    expect(JSON.stringify(request?.headers)).toContain("sk-test-key");
  });

  it("answers non-streaming requests with the JSON message", async () => {
    fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", { command: "view", path: "README.md" }, { text: "Look" }),
    );
    const message = await client().messages.create(base);
    expect(fake.requests[0]?.body.stream).toBeUndefined();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content[0]).toMatchObject({ type: "text", text: "Look" });
    expect(message.content[1]).toMatchObject({
      type: "tool_use",
      id: "toolu_fake_1_1",
      name: "str_replace_based_edit_tool",
      input: { command: "view", path: "README.md" },
    });
    expect(message.usage.input_tokens).toBe(10);
  });

  it("runs function steps against the request the model was sent", async () => {
    fake.enqueue((request) => {
      const last = request.body.messages.at(-1);
      return fakeText(`You said: ${last.content}`);
    });
    const message = await client().messages.stream(base).finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "You said: Fix the failing test" });
  });

  it("consumes steps in order across requests", async () => {
    fake.enqueue(fakeText("first"), fakeText("second"));
    expect(fake.pending()).toBe(2);
    const a = await client().messages.stream(base).finalMessage();
    const b = await client().messages.stream(base).finalMessage();
    expect(a.content[0]).toMatchObject({ text: "first" });
    expect(b.content[0]).toMatchObject({ text: "second" });
    expect(b.id).toBe("msg_fake_2");
    expect(fake.pending()).toBe(0);
  });
});

describe("errors, retries and cut streams", () => {
  it("sends the API's error shape, and the SDK's own retries get through 429 and 529", async () => {
    fake.enqueue(fakeRateLimited(0.05), fakeOverloaded(0.05), fakeText("finally"));
    const started = Date.now();
    const message = await client(2).messages.stream(base).finalMessage();
    const elapsed = Date.now() - started;
    expect(message.content[0]).toMatchObject({ text: "finally" });
    expect(fake.requests).toHaveLength(3);
    // The SDK's own backoff without retry-after would be ≥ 375 ms + 750 ms.
    expect(elapsed).toBeLessThan(1000);
  });

  it("honours retry-after", async () => {
    fake.enqueue(fakeRateLimited(1), fakeText("after waiting"));
    const started = Date.now();
    await client(1).messages.stream(base).finalMessage();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requests).toHaveLength(2);
  });

  it("surfaces the error with its type once retries run out", async () => {
    fake.enqueue(fakeRateLimited(0.01), fakeRateLimited(0.01));
    const error = await client(1)
      .messages.stream(base)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).status).toBe(429);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).type).toBe("rate_limit_error");
    expect(fake.requests).toHaveLength(2);

    fake.enqueue(fakeOverloaded());
    const overloaded = await client(0)
      .messages.create(base)
      .catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
  });

  it("does not retry a 400", async () => {
    fake.enqueue(fakeError(400, "invalid_request_error", { message: "messages: field required" }));
    const error = await client(2)
      .messages.create(base)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String(error)).toContain("messages: field required");
    expect(fake.requests).toHaveLength(1);
  });

  it("a stream cut mid-message reaches the caller as an error, not a short message, and isn't retried", async () => {
    fake.enqueue(
      fakeCut([{ type: "text", text: "This answer will never be finished because the connection drops" }], 4),
      fakeText("should not be used"),
    );
    const received: string[] = [];
    const stream = client(2).messages.stream(base);
    stream.on("text", (delta) => received.push(delta));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    // Not an APIError with a status: a broken connection the caller (the loop) has to retry itself.
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect(error).not.toBeInstanceOf(Anthropic.APIError);
    expect(received.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
    expect(fake.pending()).toBe(1);
  });

  it("a non-streaming response cut mid-body is an error too", async () => {
    fake.enqueue(fakeCut([{ type: "text", text: "never complete" }]));
    // The body breaks after the SDK has its response: it surfaces as is (undici's "terminated"), unretried.
    await expect(client(2).messages.create(base)).rejects.toThrow();
    expect(fake.requests).toHaveLength(1);
  });

  it("an error event inside a stream reaches the caller with its type", async () => {
    fake.enqueue({ kind: "stream_error", errorType: "overloaded_error", message: "Overloaded" });
    const error = await client(0)
      .messages.stream(base)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
  });

  it("a stream can be aborted while it is in flight", async () => {
    fake.enqueue(fakeText("slow answer arriving piece by piece", { eventDelayMs: 200 }));
    const stream = client(0).messages.stream(base);
    setTimeout(() => stream.abort(), 300);
    const started = Date.now();
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(stream.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("holds a reply before its end until released: the text has streamed, the message has not finished", async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.enqueue(fakeText("Almost there", { hold: () => released }));
    const stream = client(0).messages.stream(base);
    const texts: string[] = [];
    stream.on("text", (delta) => texts.push(delta));
    let finished = false;
    const final = stream.finalMessage().then((message) => {
      finished = true;
      return message;
    });
    const deadline = Date.now() + 2000;
    while (texts.join("") !== "Almost there" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(texts.join("")).toBe("Almost there");
    await new Promise((r) => setTimeout(r, 100));
    expect(finished).toBe(false);
    release();
    expect((await final).stop_reason).toBe("end_turn");
  });
});
