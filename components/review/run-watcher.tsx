"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const WATCHED = new Set(["status_changed", "checkpoint", "verification", "run_finished"]);
const REFRESH_MS = 1000;

/**
 * While the agent works on the task (a follow-up or a conflict resolution), the review page follows its run
 * over the run's event stream: each checkpoint, status change and the end re-render the page from the
 * server, so the diff and the task's status stay current without a reload. No polling.
 */
export function RunWatcher({ runId, afterSeq }: { runId: string; afterSeq: number }) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource(`/api/runs/${runId}/events?after=${afterSeq}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("run_event", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as { type: string };
      if (!WATCHED.has(event.type)) return;
      if (event.type === "run_finished") source.close();
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, REFRESH_MS);
    });
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [runId, afterSeq, router]);
  return null;
}
