import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeAnthropic, fakeText, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { encodeSseEvent, messageStreamEvents, wireMessage } from "./messages-wire";
import {
  createModelClient,
  hasRealModel,
  type ModelFetch,
  ModelNotConfiguredError,
  modelClientFromEnv,
} from "./model-client";

let fake: FakeAnthropic;
const savedKey = process.env.ANTHROPIC_API_KEY;
const savedBase = process.env.ANTHROPIC_BASE_URL;
beforeEach(async () => {
  fake = await startFakeAnthropic();
  delete process.env.ANTHROPIC_API_KEY;
  delete process.env.ANTHROPIC_BASE_URL;
});
afterEach(async () => {
  await fake.close();
  if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = savedKey;
  if (savedBase === undefined) delete process.env.ANTHROPIC_BASE_URL;
  else process.env.ANTHROPIC_BASE_URL = savedBase;
});

const params = {
  model: "claude-haiku-4-5",
  max_tokens: 100,
  messages: [{ role: "user" as const, content: "hi" }],
};

/** A demo-style fetch: answers every request with genuine SSE built from a script, no network. */
function scriptedFetch(text: string, seen: Request[]): ModelFetch {
  return async (input, init) => {
    seen.push(new Request(input, init));
    const events = messageStreamEvents(
      wireMessage({ content: [{ type: "text", text }] }, { seq: seen.length }),
    );
    return new Response(events.map(encodeSseEvent).join(""), {
      status: 200,
      headers: { "content-type": "text/event-stream" },
    });
  };
}

describe("createModelClient", () => {
  it("returns an Anthropic client that talks to the given base URL with the given key", async () => {
    fake.enqueue(fakeText("hello from the fake"));
    const client = createModelClient({ apiKey: "sk-explicit", baseURL: fake.url, maxRetries: 0 });
    expect(client).toBeInstanceOf(Anthropic);
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text", text: "hello from the fake" });
    expect(JSON.stringify(fake.requests[0]?.headers)).toContain("sk-explicit");
  });

  it("passes maxRetries to the SDK", () => {
    expect(createModelClient({ apiKey: "k", maxRetries: 5 }).maxRetries).toBe(5);
    expect(createModelClient({ apiKey: "k" }).maxRetries).toBe(2);
  });

  it("falls back to ANTHROPIC_API_KEY, and fails clearly without any key", () => {
    expect(() => createModelClient({ baseURL: fake.url })).toThrow(ModelNotConfiguredError);
    process.env.ANTHROPIC_API_KEY = "sk-from-env";
    expect(createModelClient({ baseURL: fake.url }).apiKey).toBe("sk-from-env");
  });

  it("uses a custom fetch in place of the network", async () => {
    const seen: Request[] = [];
    const client = createModelClient({
      apiKey: "k",
      fetch: scriptedFetch("from fetch", seen),
      maxRetries: 0,
    });
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content[0]).toMatchObject({ text: "from fetch" });
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0]?.url ?? "").pathname).toBe("/v1/messages");
  });
});

describe("modelClientFromEnv", () => {
  it("uses ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL when a key is configured", async () => {
    fake.enqueue(fakeText("real model"));
    const client = modelClientFromEnv({
      env: { ANTHROPIC_API_KEY: "sk-env-key", ANTHROPIC_BASE_URL: fake.url },
      maxRetries: 0,
    });
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content[0]).toMatchObject({ text: "real model" });
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(fake.requests[0]?.headers)).toContain("sk-env-key");
  });

  it("never falls back to the offline demo: without a key it throws, naming ANTHROPIC_API_KEY", () => {
    expect(() => modelClientFromEnv({ env: {} })).toThrow(ModelNotConfiguredError);
    expect(() => modelClientFromEnv({ env: { ANTHROPIC_API_KEY: "   " } })).toThrow(/ANTHROPIC_API_KEY/);
  });
});

describe("hasRealModel", () => {
  it("is true only when a non-blank key is configured", () => {
    expect(hasRealModel({ ANTHROPIC_API_KEY: "sk-ant-x" })).toBe(true);
    expect(hasRealModel({ ANTHROPIC_API_KEY: "" })).toBe(false);
    expect(hasRealModel({ ANTHROPIC_API_KEY: "  " })).toBe(false);
    expect(hasRealModel({ ANTHROPIC_BASE_URL: "http://127.0.0.1:1" })).toBe(false);
    expect(hasRealModel({})).toBe(false);
  });
});
