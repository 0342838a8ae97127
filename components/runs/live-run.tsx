"use client";

import { Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

interface Delta {
  blockIndex: number;
  kind: "text" | "thinking";
  text: string;
  step: number;
}

const REFRESH_MS = 150;

/**
 * Keeps the run page live: each stored event re-renders the page from the server (at most every
 * 150 ms), and token deltas show the model typing below the last entry. No polling: one EventSource,
 * closed when the run has finished.
 */
const WAITING: Record<string, string> = {
  queued: "Waiting for a worker…",
  waiting_approval: "Waiting for approval…",
  verifying: "Running the test command…",
};

export function LiveRun({
  runId,
  status,
  active,
  lastSeq,
}: {
  runId: string;
  status: string;
  active: boolean;
  lastSeq: number;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<Delta | null>(null);
  const seenSeq = useRef(lastSeq);
  seenSeq.current = Math.max(seenSeq.current, lastSeq);

  useEffect(() => {
    if (!active) {
      setDraft(null);
      return;
    }
    const source = new EventSource(`/api/runs/${runId}/events?after=${seenSeq.current}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, REFRESH_MS);
    };
    source.addEventListener("run_event", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as { seq: number; type: string };
      seenSeq.current = Math.max(seenSeq.current, event.seq);
      // The finished block is stored with the assistant message; the streamed copy has done its job.
      if (event.type === "assistant_message") setDraft(null);
      if (event.type === "run_finished") {
        source.close();
        setDraft(null);
      }
      refresh();
    });
    source.addEventListener("delta", (message) => {
      const delta = JSON.parse((message as MessageEvent<string>).data) as Delta;
      setDraft((previous) =>
        previous &&
        previous.step === delta.step &&
        previous.blockIndex === delta.blockIndex &&
        previous.kind === delta.kind
          ? { ...previous, text: previous.text + delta.text }
          : delta,
      );
    });
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [runId, active, router]);

  if (!active) return null;
  return (
    <div className="flex gap-3 border-t px-4 py-3" aria-live="polite">
      <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin text-blue-600 dark:text-blue-400" aria-hidden />
      <div className="min-w-0 flex-1">
        {draft ? (
          <>
            <div className="text-xs text-muted-foreground">
              {draft.kind === "thinking" ? "thinking…" : "writing…"}
            </div>
            <p
              className={
                draft.kind === "thinking"
                  ? "mt-1 whitespace-pre-wrap break-words text-sm text-muted-foreground"
                  : "mt-1 whitespace-pre-wrap break-words text-sm"
              }
            >
              {draft.text}
            </p>
          </>
        ) : (
          <div className="text-xs text-muted-foreground">{WAITING[status] ?? "Working…"}</div>
        )}
      </div>
    </div>
  );
}
