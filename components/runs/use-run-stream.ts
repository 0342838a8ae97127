"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { appendDelta, type Delta, type Draft } from "@/lib/events/draft";
import { payloadOf, type RunEventJson } from "@/lib/events/run-event";
import { lastSeqOf, mergeEvents, storedSteps } from "@/lib/runs/timeline";
import { runKeys } from "./run-query";

/** Events after which the run's row (status, steps, tokens, cost, times) has changed. */
const MOVES_THE_RUN = new Set([
  "run_started",
  "assistant_message",
  "status_changed",
  "cancel_requested",
  "compaction",
  "verification",
  "approval_requested",
  "approval_decided",
]);
/** A burst of events (a reply and its tool calls) → one refetch of the run's row. */
const COALESCE_MS = 100;

/**
 * Follows a run over its event stream: each stored event goes into the query cache by seq (once, even
 * when a reconnection sends it again: the stream resumes after Last-Event-ID, and the merge ignores a
 * seq it already holds); token deltas build the live draft this hook returns. The run's small row is
 * refetched only when an event moved it. One EventSource, closed when the run has finished.
 */
export function useRunStream(runId: string, enabled: boolean): Draft | null {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);

  useEffect(() => {
    if (!enabled) {
      setDraft(null);
      return;
    }
    const eventsKey = runKeys.events(runId);
    const held = () => queryClient.getQueryData<RunEventJson[]>(eventsKey);
    let stored = storedSteps(held() ?? []);
    const source = new EventSource(`/api/runs/${runId}/events?after=${lastSeqOf(held())}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshRun = () => queryClient.invalidateQueries({ queryKey: runKeys.detail(runId), exact: true });

    source.addEventListener("run_event", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as RunEventJson;
      queryClient.setQueryData<RunEventJson[]>(eventsKey, (old) => mergeEvents(old ?? [], [event]));
      if (event.type === "assistant_message") {
        stored = Math.max(stored, payloadOf(event, "assistant_message").step);
        setDraft((current) => (current && current.step <= stored ? null : current));
      }
      if (event.type === "run_finished") {
        source.close();
        setDraft(null);
        clearTimeout(timer);
        void refreshRun();
      } else if (MOVES_THE_RUN.has(event.type)) {
        timer ??= setTimeout(() => {
          timer = undefined;
          void refreshRun();
        }, COALESCE_MS);
      }
    });
    // On (re)connecting mid-reply: what the model has written so far; the deltas go on from there.
    source.addEventListener("draft", (message) => {
      const snapshot = JSON.parse((message as MessageEvent<string>).data) as Draft;
      if (snapshot.step > stored) setDraft(snapshot);
    });
    source.addEventListener("delta", (message) => {
      const delta = JSON.parse((message as MessageEvent<string>).data) as Delta;
      if (delta.step > stored) setDraft((current) => appendDelta(current, delta));
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [runId, enabled, queryClient]);

  return draft;
}
