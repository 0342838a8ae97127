"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { TaskWithRunsView } from "@/lib/runs/views";
import { taskVersion } from "@/lib/tasks/version";

const REFRESH_MS = 750;

/**
 * Keeps the review page current while others act on the same task: a comment, an approval, a merge or a
 * new run by someone else re-renders the page from the server. One EventSource on the team's change feed.
 * A change between the page's render and the subscription would be missed: the first "ready" compares the
 * task's version (lib/tasks/version.ts) with the rendered one and re-renders only when it moved; after a
 * reconnection the page re-renders anyway.
 */
export function TaskWatcher({ taskId, version }: { taskId: string; version: string }) {
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
    let connectedOnce = false;
    source.addEventListener("ready", () => {
      if (connectedOnce) return refresh();
      connectedOnce = true;
      fetch(`/api/team/tasks/${taskId}`)
        .then((response) => (response.ok ? (response.json() as Promise<TaskWithRunsView>) : null))
        .then((now) => {
          if (!now || taskVersion(now.task, now.runs) !== version) refresh();
        })
        .catch(refresh);
    });
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
  }, [taskId, version, router]);
  return null;
}
