// A run's event: the one shape every reader uses (the engine rebuilding the conversation, the SSE
// stream, the JSON lists, the export, the timeline), and the one serializer to its JSON form.
import type { runEvents } from "@/db/schema";
import type { RunEventPayloads, RunEventType } from "./types";

/** A stored run event, as selected with runEventColumns. */
export type RunEvent = Pick<typeof runEvents.$inferSelect, "seq" | "type" | "payload" | "createdAt">;

/** A run event as it travels (JSON lists, SSE `run_event` data) and as the browser holds it. */
export type RunEventJson = Omit<RunEvent, "createdAt"> & { createdAt: string };

/** The event that ends a run: nothing is appended after it, and streams end once they have sent it. */
export const RUN_END_EVENT = "run_finished";

export function serializeRunEvent(event: RunEvent): RunEventJson {
  return {
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    createdAt: event.createdAt.toISOString(),
  };
}

/** The event's payload as its type stores it (the caller has checked the type). */
export function payloadOf<K extends RunEventType>(
  event: { payload: unknown },
  _type: K,
): RunEventPayloads[K] {
  return event.payload as RunEventPayloads[K];
}
