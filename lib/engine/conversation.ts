// Rebuilds the model conversation from a run's stored events: the events are the truth, memory is a cache.
import type Anthropic from "@anthropic-ai/sdk";
import { payloadOf, type RunEvent } from "@/lib/events/run-event";
import type { RunEventPayloads } from "@/lib/events/types";

type MessageParam = Anthropic.MessageParam;
type ContentBlockParam = Anthropic.ContentBlockParam;

export interface ToolUse {
  id: string;
  name: string;
  input: unknown;
}

export interface ConversationState {
  messages: MessageParam[];
  /** Model calls made so far. */
  steps: number;
  /** The last assistant message's stop reason, when no user turn followed it yet. */
  lastStopReason: string | null;
  /** tool_use blocks of the last assistant message that have no stored result yet. */
  pendingToolUses: ToolUse[];
  /** tool_use ids whose call was stored (started) but whose result was not. */
  startedToolUses: Set<string>;
  /** The context size of the last model call (input + cache + output tokens). */
  lastContextTokens: number;
  /** Consecutive max_tokens stops and rule reminders, for their bounds. */
  consecutiveMaxTokens: number;
  ruleReminders: number;
  /** seq of the last event of each kind that matters to the rules. */
  lastEditSeq: number;
  lastTestRunSeq: number;
  finished: boolean;
}

function textBlock(text: string): ContentBlockParam {
  return { type: "text", text };
}

/** Assistant content as it must be sent back: thinking kept verbatim, cut-off tool calls dropped. */
function replayableContent(payload: RunEventPayloads["assistant_message"]): ContentBlockParam[] {
  let blocks = payload.content as ContentBlockParam[];
  if (payload.stopReason === "max_tokens") blocks = blocks.filter((block) => block.type !== "tool_use");
  return blocks.length > 0 ? blocks : [textBlock("(no output)")];
}

function push(messages: MessageParam[], role: "user" | "assistant", blocks: ContentBlockParam[]) {
  const last = messages.at(-1);
  if (last && last.role === role) {
    const existing = typeof last.content === "string" ? [textBlock(last.content)] : last.content;
    // tool_result blocks must come first in a user turn.
    last.content =
      role === "user"
        ? [
            ...existing.filter(isToolResult),
            ...blocks.filter(isToolResult),
            ...existing.filter(notToolResult),
            ...blocks.filter(notToolResult),
          ]
        : [...existing, ...blocks];
  } else {
    messages.push({ role, content: blocks });
  }
}

const isToolResult = (block: ContentBlockParam) => block.type === "tool_result";
const notToolResult = (block: ContentBlockParam) => block.type !== "tool_result";

function emptyState(): ConversationState {
  return {
    messages: [],
    steps: 0,
    lastStopReason: null,
    pendingToolUses: [],
    startedToolUses: new Set(),
    lastContextTokens: 0,
    consecutiveMaxTokens: 0,
    ruleReminders: 0,
    lastEditSeq: 0,
    lastTestRunSeq: 0,
    finished: false,
  };
}

/**
 * The conversation folded from a run's events in order. The loop keeps one per run and adds only the
 * events that came after the last it saw, so a step costs the new events, not the whole run again; a
 * compaction changes what came before it, so one arriving folds every event again.
 */
export class Conversation {
  /** Every event added, in order. */
  readonly events: RunEvent[] = [];
  state: ConversationState = emptyState();
  private compaction: RunEventPayloads["compaction"] | null = null;
  private readonly testCommand: string | undefined;
  // Tool calls that ran the test command: the run counts as tested when such a call's result is stored
  // after the last edit's (tool_calls of one reply are all stored before any of them runs).
  private testCalls = new Set<string>();
  // A person's message that arrives mid-step waits for the next turn boundary, so the history the model
  // has already seen never changes (and its prompt cache stays valid).
  private deferred: string[] = [];

  constructor(options: { testCommand?: string | null } = {}) {
    this.testCommand = options.testCommand?.trim();
  }

  /** The seq of the last event added (0 before any). */
  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  add(events: RunEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      if (event.type === "compaction") this.refold(payloadOf(event, "compaction"));
      else this.apply(event);
    }
  }

  private refold(compaction: RunEventPayloads["compaction"]): void {
    this.state = emptyState();
    this.compaction = compaction;
    this.testCalls = new Set();
    this.deferred = [];
    for (const event of this.events) this.apply(event);
  }

  private atTurnBoundary(): boolean {
    return this.state.messages.at(-1)?.role === "assistant" && this.state.pendingToolUses.length === 0;
  }

  private flushDeferred(): void {
    if (this.deferred.length === 0) return;
    push(this.state.messages, "user", this.deferred.map(textBlock));
    this.deferred = [];
    this.state.lastStopReason = null;
  }

  private apply(event: RunEvent): void {
    const { state, compaction, testCommand, testCalls } = this;
    // Steps before a compaction only count; the conversation keeps the task, the summary and what follows.
    if (compaction && event.seq <= compaction.clearedThroughSeq) {
      countOnly(state, event, testCommand, testCalls);
      if (event.type === "user_message" && payloadOf(event, "user_message").kind === "task") {
        push(state.messages, "user", [
          textBlock(payloadOf(event, "user_message").text),
          textBlock(
            `[Earlier steps were compacted to fit the context window. Summary of them:]\n${compaction.summary}`,
          ),
        ]);
      }
      return;
    }
    switch (event.type) {
      case "user_message": {
        const payload = payloadOf(event, "user_message");
        if (payload.kind === "steer" && !this.atTurnBoundary()) {
          this.deferred.push(payload.text);
          break;
        }
        push(state.messages, "user", [textBlock(payload.text)]);
        if (payload.kind === "rule_reminder") state.ruleReminders++;
        if (payload.kind !== "continue") state.consecutiveMaxTokens = 0;
        state.lastStopReason = null;
        break;
      }
      case "assistant_message": {
        const payload = payloadOf(event, "assistant_message");
        push(state.messages, "assistant", replayableContent(payload));
        state.steps = Math.max(state.steps, payload.step);
        state.lastStopReason = payload.stopReason;
        const usage = payload.usage;
        state.lastContextTokens =
          usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
        state.consecutiveMaxTokens = payload.stopReason === "max_tokens" ? state.consecutiveMaxTokens + 1 : 0;
        state.pendingToolUses =
          payload.stopReason === "tool_use"
            ? (payload.content as { type: string; id: string; name: string; input: unknown }[])
                .filter((block) => block.type === "tool_use")
                .map(({ id, name, input }) => ({ id, name, input }))
            : [];
        state.startedToolUses = new Set();
        if (state.pendingToolUses.length === 0) this.flushDeferred();
        break;
      }
      case "tool_call": {
        const payload = payloadOf(event, "tool_call");
        state.startedToolUses.add(payload.toolUseId);
        if (runsTests(payload, testCommand)) testCalls.add(payload.toolUseId);
        break;
      }
      case "tool_result": {
        const payload = payloadOf(event, "tool_result");
        push(state.messages, "user", [
          {
            type: "tool_result",
            tool_use_id: payload.toolUseId,
            content: payload.content,
            is_error: payload.isError || undefined,
          },
        ]);
        state.pendingToolUses = state.pendingToolUses.filter((use) => use.id !== payload.toolUseId);
        state.startedToolUses.delete(payload.toolUseId);
        if (payload.changedFiles?.length) state.lastEditSeq = event.seq;
        if (testCalls.has(payload.toolUseId)) state.lastTestRunSeq = event.seq;
        if (state.pendingToolUses.length === 0) {
          state.lastStopReason = null;
          this.flushDeferred();
        }
        break;
      }
      case "run_finished":
        state.finished = true;
        break;
    }
  }
}

/** The conversation of these events, folded from the first (a resumed run, a compaction's preview). */
export function rebuildConversation(
  events: RunEvent[],
  options: { testCommand?: string | null } = {},
): ConversationState {
  const conversation = new Conversation(options);
  conversation.add(events);
  return conversation.state;
}

function latestCompaction(events: RunEvent[]): RunEventPayloads["compaction"] | null {
  const found = events.filter((e) => e.type === "compaction").at(-1);
  return found ? payloadOf(found, "compaction") : null;
}

/** Keeps counters right for events that compaction left out of the messages. */
function runsTests(call: RunEventPayloads["tool_call"], testCommand: string | undefined): boolean {
  const input = call.input as { command?: string } | undefined;
  return call.name === "bash" && Boolean(testCommand) && Boolean(input?.command?.includes(testCommand ?? ""));
}

function countOnly(
  state: ConversationState,
  event: RunEvent,
  testCommand: string | undefined,
  testCalls: Set<string>,
) {
  if (event.type === "assistant_message") {
    state.steps = Math.max(state.steps, payloadOf(event, "assistant_message").step);
  } else if (event.type === "tool_call") {
    const payload = payloadOf(event, "tool_call");
    if (runsTests(payload, testCommand)) testCalls.add(payload.toolUseId);
  } else if (event.type === "tool_result") {
    const payload = payloadOf(event, "tool_result");
    if (payload.changedFiles?.length) state.lastEditSeq = event.seq;
    if (testCalls.has(payload.toolUseId)) state.lastTestRunSeq = event.seq;
  } else if (event.type === "user_message" && payloadOf(event, "user_message").kind === "rule_reminder") {
    state.ruleReminders++;
  }
}

function describeCall(call: RunEventPayloads["tool_call"], result?: RunEventPayloads["tool_result"]): string {
  const input = (call.input ?? {}) as { command?: string; path?: string };
  const outcome = result
    ? result.isError
      ? " → error"
      : result.exitCode
        ? ` → exit ${result.exitCode}`
        : ""
    : "";
  const files = result?.changedFiles?.length ? ` (changed ${result.changedFiles.join(", ")})` : "";
  return call.name === "bash"
    ? `- ran \`${(input.command ?? "").slice(0, 200)}\`${outcome}${files}`
    : `- ${input.command ?? "edit"} ${input.path ?? ""}${outcome}${files}`;
}

/**
 * Where to compact: everything before the last `keepSteps` steps becomes a summary of what was done
 * (commands, edits, people's messages, the model's own notes). Null when there is nothing new to fold.
 */
export function compactionPlan(
  events: RunEvent[],
  keepSteps: number,
): { clearedThroughSeq: number; clearedSteps: number; summary: string } | null {
  const assistants = events.filter((e) => e.type === "assistant_message");
  const boundary = assistants.at(-keepSteps);
  if (!boundary || assistants.length <= keepSteps) return null;
  const clearedThroughSeq = boundary.seq - 1;
  const previous = latestCompaction(events);
  if (previous && previous.clearedThroughSeq >= clearedThroughSeq) return null;
  const results = new Map<string, RunEventPayloads["tool_result"]>();
  for (const e of events)
    if (e.type === "tool_result")
      results.set(payloadOf(e, "tool_result").toolUseId, payloadOf(e, "tool_result"));
  const lines: string[] = previous ? [previous.summary] : [];
  for (const e of events) {
    if (e.seq > clearedThroughSeq || (previous && e.seq <= previous.clearedThroughSeq)) continue;
    if (e.type === "tool_call") {
      const call = payloadOf(e, "tool_call");
      lines.push(describeCall(call, results.get(call.toolUseId)));
    } else if (e.type === "user_message" && payloadOf(e, "user_message").kind === "steer") {
      lines.push(`- a person said: ${payloadOf(e, "user_message").text.slice(0, 500)}`);
    } else if (e.type === "assistant_message") {
      const note = (payloadOf(e, "assistant_message").content as { type: string; text?: string }[])
        .filter((b) => b.type === "text")
        .map((b) => b.text ?? "")
        .join(" ")
        .trim();
      if (note) lines.push(`- noted: ${note.slice(0, 300)}`);
    }
  }
  // The most recent work matters most: keep the summary bounded from its end.
  let summary = lines.join("\n");
  if (summary.length > 6000) summary = `…\n${summary.slice(-6000)}`;
  const clearedSteps = assistants.filter((a) => a.seq <= clearedThroughSeq).length;
  return { clearedThroughSeq, clearedSteps, summary };
}

/** A rough token count (4 characters a token), used only to decide when to compact. */
export function estimateTokens(messages: MessageParam[], system = ""): number {
  return Math.ceil((jsonLength(messages) + system.length) / 4);
}

// Blocks never change once in the conversation (a turn gets new arrays, not changed blocks): each one's
// JSON length is measured once, not again at every step.
const blockLengths = new WeakMap<object, number>();

function blockLength(block: unknown): number {
  if (typeof block !== "object" || block === null) return JSON.stringify(block).length;
  let length = blockLengths.get(block);
  if (length === undefined) {
    length = JSON.stringify(block).length;
    blockLengths.set(block, length);
  }
  return length;
}

/** JSON.stringify(messages).length, from the blocks' remembered lengths. */
function jsonLength(messages: MessageParam[]): number {
  let length = 2 + Math.max(0, messages.length - 1);
  for (const message of messages) {
    const keys = Object.keys(message);
    if (
      keys.length !== 2 ||
      keys[0] !== "role" ||
      keys[1] !== "content" ||
      typeof message.content === "string"
    ) {
      length += JSON.stringify(message).length;
      continue;
    }
    // {"role":"user","content":[block,block]}
    length += `{"role":${JSON.stringify(message.role)},"content":`.length + 1;
    length += 2 + Math.max(0, message.content.length - 1);
    for (const block of message.content) length += blockLength(block);
  }
  return length;
}
