// The input of a run's first call to `toolName` that the run accepted (its stored result is not an error)
// and that `parse` still reads, from the stored events: how a run's finish_task report or a judge's
// rank_attempts ranking is found, whoever wrote the events.
import { payloadOf, type RunEvent } from "@/lib/events/run-event";

export function acceptedCall<T>(
  events: RunEvent[],
  toolName: string,
  parse: (input: unknown) => T | null,
): T | null {
  const calls = new Map<string, unknown>();
  for (const event of events) {
    if (event.type === "tool_call") {
      const call = payloadOf(event, "tool_call");
      if (call.name === toolName) calls.set(call.toolUseId, call.input);
    }
    if (event.type === "tool_result") {
      const result = payloadOf(event, "tool_result");
      if (calls.has(result.toolUseId) && !result.isError) {
        const parsed = parse(calls.get(result.toolUseId));
        if (parsed !== null) return parsed;
      }
    }
  }
  return null;
}
