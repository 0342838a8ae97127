import { queryOptions } from "@tanstack/react-query";
import type { InboxItem } from "@/lib/inbox/queries";
import { fetchJson } from "@/lib/query/fetch-json";

export const inboxKeys = { all: ["inbox"] as const };

/** What waits on the signed-in person: the inbox page and the sidebar badge share this one query. */
export function inboxQueryOptions() {
  return queryOptions({
    queryKey: inboxKeys.all,
    queryFn: async () => (await fetchJson<{ items: InboxItem[] }>("/api/team/inbox")).items,
  });
}
