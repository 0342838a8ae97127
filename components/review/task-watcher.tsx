"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const REFRESH_MS = 750;

/**
 * Keeps the review page current while others act on the same task: a comment, an approval, a merge or a
 * new run by someone else re-renders the page from the server. One EventSource on the team's change feed;
 * each "ready" re-renders too, since whatever changed between the page's render and the subscription (or
 * while reconnecting) would otherwise be missed.
 */
export function TaskWatcher({ taskId }: { taskId: string }) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource("/api/team/changes");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, REFRESH_MS);
    };
    source.addEventListener("ready", refresh);
    source.addEventListener("change", (message) => {
      const change = JSON.parse((message as MessageEvent<string>).data) as {
        kind: string;
        taskId: string | null;
      };
      if (change.kind === "cost" || change.taskId !== taskId) return;
      refresh();
    });
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [taskId, router]);
  return null;
}
