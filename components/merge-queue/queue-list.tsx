"use client";

import { useQuery } from "@tanstack/react-query";
import { GitMerge, Loader2 } from "lucide-react";
import Link from "next/link";
import { boardKeys } from "@/components/board/board-query";
import { Card, CardHeader } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import type { QueuedMerge } from "@/lib/merge-queue/queries";
import { fetchJson } from "@/lib/query/fetch-json";

/**
 * Under the board's keys: every change of the team's tasks (queued, landing, merged) marks it stale and
 * it refetches, the same feed the board listens to. No polling.
 */
function useQueue(repoId: string, initial: QueuedMerge[]) {
  return useQuery({
    queryKey: [...boardKeys.all, "merge-queue", repoId],
    queryFn: async () =>
      (await fetchJson<{ entries: QueuedMerge[] }>(`/api/team/merge-queue?repo=${repoId}`)).entries,
    initialData: initial,
  });
}

export function QueueList({ repoId, initial }: { repoId: string; initial: QueuedMerge[] }) {
  const { data: entries } = useQueue(repoId, initial);
  const bases = [...new Set(entries.map((e) => e.baseBranch))];
  return (
    <Card className="max-w-3xl" data-testid="merge-queue-panel">
      <CardHeader
        title="Merge queue"
        description="Approved merges land one at a time per base branch, oldest first; each merged tree is tested before it lands."
      />
      {entries.length === 0 ? (
        <p className="px-4 py-3 text-sm text-muted-foreground">
          Nothing waiting to merge. When several approved tasks are merged into the same branch at once, they
          line up here.
        </p>
      ) : (
        <div className="grid gap-3 px-4 py-3">
          {bases.map((base) => (
            <section key={base} aria-label={`Merges into ${base}`}>
              <h3 className="mb-1 text-xs font-medium text-muted-foreground">
                into <span className="font-mono">{base}</span>
              </h3>
              <ol className="divide-y rounded-md border">
                {entries
                  .filter((e) => e.baseBranch === base)
                  .map((entry) => (
                    <li
                      key={entry.taskId}
                      className="flex items-center gap-2 px-3 py-1.5 text-sm"
                      data-testid="merge-queue-entry"
                    >
                      <span className="tabular w-5 text-right text-muted-foreground">{entry.position}</span>
                      {entry.status === "landing" ? (
                        <Loader2 className="size-3.5 animate-spin text-blue-600" aria-label="Landing" />
                      ) : (
                        <GitMerge className="size-3.5 text-muted-foreground" aria-label="Waiting" />
                      )}
                      <Link
                        href={`/tasks/${entry.taskId}/review`}
                        className="min-w-0 truncate hover:underline"
                      >
                        <span className="tabular mr-1 text-muted-foreground">#{entry.number}</span>
                        {entry.title}
                      </Link>
                      <span className="ml-auto shrink-0 text-xs text-muted-foreground">
                        {entry.status === "landing" ? "landing now" : "queued"}{" "}
                        <TimeAgo date={new Date(entry.enqueuedAt)} />
                      </span>
                    </li>
                  ))}
              </ol>
            </section>
          ))}
        </div>
      )}
    </Card>
  );
}
