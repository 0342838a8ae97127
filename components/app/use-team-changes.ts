"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { boardKeys } from "@/components/board/board-query";
import { inboxKeys } from "@/components/inbox/inbox-query";
import { taskKeys } from "@/components/tasks/task-query";
import type { TaskWithRunsView } from "@/lib/runs/views";

/** Burst of changes (fifty runs finishing at once) → one refetch. */
const COALESCE_MS = 200;

/**
 * One EventSource per tab on /api/team/changes: every change of the team's tasks and runs marks the
 * board and the inbox stale (the ones on screen refetch), and the task page of the task it names. No polling: nothing happens until the
 * server says something changed. Every "ready" (the first connection's too) refetches what is on screen:
 * the page's data was read before the feed was subscribed, and a change in that gap (a run finishing
 * while the page hydrates) would otherwise never arrive. After a dropped connection the browser
 * reconnects by itself and the same "ready" catches up on what changed meanwhile.
 */
export function useTeamChanges() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource("/api/team/changes");
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The task pages to refetch: the tasks named by the changes, or every one after a reconnection.
    let tasks: Set<string> | "all" = new Set();
    let runs = new Set<string>();
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: boardKeys.all });
        void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
        const named = tasks;
        const costs = runs;
        tasks = new Set();
        runs = new Set();
        void queryClient.invalidateQueries({
          queryKey: taskKeys.all,
          predicate: (query) => {
            if (named === "all" || named.has(String(query.queryKey[1]))) return true;
            const data = query.state.data as TaskWithRunsView | undefined;
            return Boolean(data?.runs.some((run) => costs.has(run.id)));
          },
        });
      }, COALESCE_MS);
    };
    const onChange = (message: Event) => {
      try {
        const change = JSON.parse((message as MessageEvent<string>).data) as {
          taskId: string | null;
          runId: string | null;
        };
        if (change.taskId && tasks !== "all") tasks.add(change.taskId);
        else if (change.runId) runs.add(change.runId);
      } catch {
        tasks = "all";
      }
      refresh();
    };
    const onReady = () => {
      tasks = "all";
      refresh();
    };
    source.addEventListener("change", onChange);
    source.addEventListener("ready", onReady);
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [queryClient]);
}

/** Mounted once in the dashboard layout so the board, the inbox and the sidebar badge share it. */
export function TeamChanges() {
  useTeamChanges();
  return null;
}
