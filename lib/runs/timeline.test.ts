import { describe, expect, it } from "vitest";
import { appendDelta } from "@/lib/events/draft";
import type { RunEventJson } from "@/lib/events/run-event";
import { buildTimeline, mergeEvents } from "./timeline";

let at = 0;
const ev = (seq: number, type: string, payload: Record<string, unknown> = {}): RunEventJson => ({
  seq,
  type,
  payload,
  createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, at++)).toISOString(),
});
const assistant = (seq: number, step: number) =>
  ev(seq, "assistant_message", {
    step,
    content: [{ type: "text", text: `step ${step}` }],
    usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0,
  });

describe("merging streamed events into the cache", () => {
  it("keeps each seq once and in order, whatever a reconnection sends again", () => {
    const held = [ev(1, "run_started"), ev(2, "user_message"), ev(3, "assistant_message")];
    expect(mergeEvents(held, [ev(4, "tool_call")]).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    // A resent event (the same seq) changes nothing, not even the array's identity.
    expect(mergeEvents(held, [ev(2, "user_message"), ev(3, "assistant_message")])).toBe(held);
    // Overlapping and out of order: the union, sorted.
    const merged = mergeEvents(held, [ev(5, "tool_result"), ev(3, "assistant_message"), ev(4, "tool_call")]);
    expect(merged.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(mergeEvents([], [])).toEqual([]);
  });
});

describe("the timeline", () => {
  it("groups each model step with its tool calls, results, approval and checkpoint, one entry per step", () => {
    const items = buildTimeline([
      ev(1, "run_started", { branch: "b", baseBranch: "main", attempt: 1, resumed: false }),
      ev(2, "user_message", { text: "Fix it", kind: "task" }),
      assistant(3, 1),
      ev(4, "tool_call", { toolUseId: "a", name: "bash", input: { command: "ls" } }),
      ev(5, "tool_result", { toolUseId: "a", content: "x", isError: false, durationMs: 1 }),
      assistant(6, 2),
      ev(7, "tool_call", { toolUseId: "b", name: "bash", input: { command: "rm -rf build" } }),
      ev(8, "approval_requested", { toolUseId: "b", command: "rm -rf build", pattern: "rm -rf" }),
      ev(9, "status_changed", { status: "waiting_approval" }),
      ev(10, "approval_decided", {
        toolUseId: "b",
        approved: true,
        by: { id: "u", name: "Ada" },
        waitedMs: 5,
      }),
      ev(11, "tool_result", { toolUseId: "b", content: "", isError: false, durationMs: 1 }),
      ev(12, "checkpoint", { step: 2, sha: "abc", files: ["a.txt"] }),
      ev(13, "run_finished", { status: "succeeded", stopReason: "end_turn" }),
    ]);
    expect(items.map((i) => i.anchor)).toEqual(["event-1", "event-2", "step-1", "step-2", "event-13"]);
    const step2 = items[3];
    if (step2?.kind !== "step") throw new Error("not a step");
    expect(step2).toMatchObject({ step: 2, version: 12, checkpoint: { seq: 12 } });
    expect(step2.tools).toHaveLength(1);
    expect(step2.tools[0]).toMatchObject({
      call: { seq: 7 },
      result: { seq: 11 },
      approval: { request: { seq: 8 }, decision: { seq: 10 } },
    });
    // A result arriving later bumps its step's version, so that entry (and only it) re-renders.
    expect(items[2]?.version).toBe(5);
  });

  it("never shows a step twice, and keeps a result whose call is missing as its own entry", () => {
    const items = buildTimeline([
      assistant(1, 1),
      assistant(2, 1),
      ev(3, "tool_result", { toolUseId: "zz", content: "orphan", isError: false, durationMs: 1 }),
    ]);
    expect(items.map((i) => i.anchor)).toEqual(["step-1", "event-3"]);
  });
});

describe("the live draft", () => {
  it("appends deltas per block, starts over at a new step and drops stale ones", () => {
    let draft = appendDelta(null, { step: 2, blockIndex: 0, kind: "thinking", text: "Hm" });
    draft = appendDelta(draft, { step: 2, blockIndex: 1, kind: "text", text: "I will" });
    draft = appendDelta(draft, { step: 2, blockIndex: 0, kind: "thinking", text: "m." });
    draft = appendDelta(draft, { step: 2, blockIndex: 1, kind: "text", text: " fix it." });
    expect(draft).toEqual({
      step: 2,
      blocks: [
        { blockIndex: 0, kind: "thinking", text: "Hmm." },
        { blockIndex: 1, kind: "text", text: "I will fix it." },
      ],
    });
    expect(appendDelta(draft, { step: 1, blockIndex: 0, kind: "text", text: "late" })).toBe(draft);
    expect(appendDelta(draft, { step: 3, blockIndex: 0, kind: "text", text: "Next" })).toEqual({
      step: 3,
      blocks: [{ blockIndex: 0, kind: "text", text: "Next" }],
    });
  });
});
