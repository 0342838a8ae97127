import { queryOptions } from "@tanstack/react-query";
import type { RunEventJson } from "@/lib/events/run-event";
import { fetchJson } from "@/lib/query/fetch-json";
import type { RunView } from "@/lib/runs/views";

export const runKeys = {
  all: ["run"] as const,
  detail: (runId: string) => ["run", runId] as const,
  events: (runId: string) => ["run", runId, "events"] as const,
};

/**
 * The run page's two queries. The page prefetches both; the run's event stream appends to `events`
 * and refetches `detail` (one row: status, steps, tokens, cost) when an event says those moved.
 */
export const runQueries = {
  detail: (runId: string) =>
    queryOptions({
      queryKey: runKeys.detail(runId),
      queryFn: async () => (await fetchJson<{ run: RunView }>(`/api/runs/${runId}`)).run,
    }),
  events: (runId: string) =>
    queryOptions({
      queryKey: runKeys.events(runId),
      queryFn: async () => (await fetchJson<{ events: RunEventJson[] }>(`/api/runs/${runId}/events`)).events,
      // Only the stream changes this list; a refetch would only repeat what it already holds.
      staleTime: Number.POSITIVE_INFINITY,
    }),
};
