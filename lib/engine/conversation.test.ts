import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/events/run-event";
import type { RunEventPayloads } from "@/lib/events/types";
import { Conversation, rebuildConversation } from "./conversation";

let seq = 0;
function event<K extends keyof RunEventPayloads>(type: K, payload: RunEventPayloads[K]): RunEvent {
  seq += 1;
  return { seq, type, payload: payload as RunEvent["payload"], createdAt: new Date(0) };
}

function assistant(step: number, toolUseId?: string): RunEvent {
  const content: unknown[] = [{ type: "text", text: `step ${step}` }];
  if (toolUseId)
    content.push({ type: "tool_use", id: toolUseId, name: "bash", input: { command: "npm test" } });
  return event("assistant_message", {
    step,
    model: "m",
    content,
    stopReason: toolUseId ? "tool_use" : "end_turn",
    usage: { inputTokens: 10 * step, outputTokens: 5, cacheWriteTokens: 0, cacheReadTokens: 0 },
    costUsd: 0,
    unpriced: false,
    modelMs: 1,
  });
}

function step(n: number, options: { edit?: boolean } = {}): RunEvent[] {
  const id = `toolu_${n}`;
  return [
    assistant(n, id),
    event("tool_call", { toolUseId: id, name: "bash", input: { command: "npm test" } }),
    event("tool_result", {
      toolUseId: id,
      content: `output ${n}`,
      isError: false,
      durationMs: 1,
      ...(options.edit ? { changedFiles: ["a.js"] } : {}),
    }),
  ];
}

/** A run with a person's message mid-step, a compaction and steps after it. */
function history(): RunEvent[] {
  seq = 0;
  const events = [
    event("user_message", { text: "Fix the bug.", kind: "task" }),
    ...step(1, { edit: true }),
    assistant(2, "toolu_2"),
    event("tool_call", { toolUseId: "toolu_2", name: "bash", input: { command: "npm test" } }),
    event("user_message", { text: "Also update the README.", kind: "steer" }),
    event("tool_result", { toolUseId: "toolu_2", content: "ok", isError: false, durationMs: 1 }),
    ...step(3),
    ...step(4, { edit: true }),
  ];
  const cleared = events.at(-6)?.seq ?? 0;
  events.push(
    event("compaction", {
      beforeTokens: 1000,
      afterTokens: 100,
      clearedSteps: 3,
      clearedThroughSeq: cleared,
      summary: "- ran `npm test`",
    }),
    ...step(5),
    assistant(6),
  );
  return events;
}

describe("the conversation, folded one event at a time", () => {
  it("equals the conversation rebuilt from every event, after each event of a run with a steer and a compaction", () => {
    const events = history();
    const conversation = new Conversation({ testCommand: "npm test" });
    for (let i = 0; i < events.length; i++) {
      conversation.add(events.slice(i, i + 1));
      const rebuilt = rebuildConversation(events.slice(0, i + 1), { testCommand: "npm test" });
      expect(conversation.state).toEqual(rebuilt);
      expect(conversation.lastSeq).toBe(events[i]?.seq);
    }
    const { state } = conversation;
    expect(state.steps).toBe(6);
    // The compaction kept the task with the summary, then the steps after it.
    expect(JSON.stringify(state.messages[0])).toContain("Summary of them");
    expect(state.lastStopReason).toBe("end_turn");
  });
});
