// The run page's timeline as pure data: events merged into the cache by seq (each exactly once, however
// often a reconnection sends them again), then grouped into what the person reads — one entry per model
// step (its reply, its tool calls with their results and approvals, its checkpoint) and one entry for
// each event outside a step (the task, retries, compaction, verification, the end).

import { payloadOf, type RunEventJson } from "@/lib/events/run-event";

/** `existing` with `incoming` added in seq order; an event already held is ignored. Same array if nothing new. */
export function mergeEvents(existing: RunEventJson[], incoming: RunEventJson[]): RunEventJson[] {
  if (incoming.length === 0) return existing;
  // The usual case: the stream delivers the next events in order.
  let last = existing.at(-1)?.seq ?? 0;
  let inOrder = true;
  for (const event of incoming) {
    if (event.seq <= last) {
      inOrder = false;
      break;
    }
    last = event.seq;
  }
  if (inOrder) return [...existing, ...incoming];
  const bySeq = new Map(existing.map((event) => [event.seq, event]));
  let added = false;
  for (const event of incoming) {
    if (bySeq.has(event.seq)) continue;
    bySeq.set(event.seq, event);
    added = true;
  }
  if (!added) return existing;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export const lastSeqOf = (events: RunEventJson[] | undefined) => events?.at(-1)?.seq ?? 0;

export interface ToolItem {
  call: RunEventJson;
  result?: RunEventJson;
  approval?: { request: RunEventJson; decision?: RunEventJson };
}

export interface StepItem {
  kind: "step";
  /** The model step, 1-based: the number the person sees ("Step 12") and links to (#step-12). */
  step: number;
  anchor: string;
  message: RunEventJson;
  tools: ToolItem[];
  checkpoint?: RunEventJson;
  /** The highest seq in the entry: it changes exactly when the entry has something new to show. */
  version: number;
}

export interface EventItem {
  kind: "event";
  anchor: string;
  event: RunEventJson;
  version: number;
}

export type TimelineItem = StepItem | EventItem;

/** Status changes show in the header; they need no entry of their own. */
const HIDDEN = new Set(["status_changed"]);

export function buildTimeline(events: RunEventJson[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  const steps = new Map<number, StepItem>();
  const tools = new Map<string, { tool: ToolItem; owner: StepItem }>();
  let current: StepItem | undefined;
  const standalone = (event: RunEventJson) =>
    items.push({ kind: "event", anchor: `event-${event.seq}`, event, version: event.seq });
  const touch = (owner: StepItem, event: RunEventJson) => {
    owner.version = Math.max(owner.version, event.seq);
  };

  for (const event of events) {
    if (HIDDEN.has(event.type)) continue;
    switch (event.type) {
      case "assistant_message": {
        const step = payloadOf(event, "assistant_message").step;
        const known = steps.get(step);
        if (known) {
          current = known;
          break;
        }
        current = {
          kind: "step",
          step,
          anchor: `step-${step}`,
          message: event,
          tools: [],
          version: event.seq,
        };
        steps.set(step, current);
        items.push(current);
        break;
      }
      case "tool_call": {
        const id = payloadOf(event, "tool_call").toolUseId;
        if (!current || tools.has(id)) {
          if (!tools.has(id)) standalone(event);
          break;
        }
        const tool: ToolItem = { call: event };
        tools.set(id, { tool, owner: current });
        current.tools.push(tool);
        touch(current, event);
        break;
      }
      case "tool_result": {
        const found = tools.get(payloadOf(event, "tool_result").toolUseId);
        if (!found) standalone(event);
        else {
          found.tool.result = event;
          touch(found.owner, event);
        }
        break;
      }
      case "approval_requested": {
        const found = tools.get(payloadOf(event, "approval_requested").toolUseId);
        if (!found) standalone(event);
        else {
          found.tool.approval = { request: event };
          touch(found.owner, event);
        }
        break;
      }
      case "approval_decided": {
        const found = tools.get(payloadOf(event, "approval_decided").toolUseId);
        if (!found?.tool.approval) standalone(event);
        else {
          found.tool.approval.decision = event;
          touch(found.owner, event);
        }
        break;
      }
      case "checkpoint": {
        const owner = steps.get(payloadOf(event, "checkpoint").step) ?? current;
        if (!owner) standalone(event);
        else {
          owner.checkpoint = event;
          touch(owner, event);
        }
        break;
      }
      default:
        standalone(event);
    }
  }
  return items;
}

/** The step a live delta belongs to is stored: its streamed copy has done its job. */
export function storedSteps(events: RunEventJson[]): number {
  let max = 0;
  for (const event of events) {
    if (event.type === "assistant_message") max = Math.max(max, payloadOf(event, "assistant_message").step);
  }
  return max;
}
