"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { boardKeys } from "@/components/board/board-query";
import { inboxKeys } from "@/components/inbox/inbox-query";

/** Burst of changes (fifty runs finishing at once) → one refetch. */
const COALESCE_MS = 200;

/**
 * One EventSource per tab on /api/team/changes: every change of the team's tasks and runs marks the
 * board and the inbox stale, and the ones on screen refetch. No polling: nothing happens until the
 * server says something changed. After a dropped connection the browser reconnects by itself and the
 * "ready" event refetches whatever changed meanwhile.
 */
export function useTeamChanges() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource("/api/team/changes");
    let timer: ReturnType<typeof setTimeout> | undefined;
    let connectedOnce = false;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: boardKeys.all });
        void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
      }, COALESCE_MS);
    };
    const onReady = () => {
      // The first connection's data came with the page; a reconnection may have missed changes.
      if (connectedOnce) refresh();
      connectedOnce = true;
    };
    source.addEventListener("change", refresh);
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
