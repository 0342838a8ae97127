"use client";

import { Loader2 } from "lucide-react";
import { Markdown } from "@/components/ui/markdown";
import type { Draft } from "@/lib/events/draft";
import { Thinking } from "./step-entry";

const WAITING: Record<string, string> = {
  queued: "Waiting for a worker…",
  waiting_approval: "Waiting for someone to approve the command above…",
  verifying: "Running the test command…",
};

/** The bottom of a live timeline: the model's reply as it is written, or what the run is waiting for. */
export function LiveDraft({ draft, status }: { draft: Draft | null; status: string }) {
  const writing = draft?.blocks.some((b) => b.kind === "text" && b.text.trim());
  return (
    <li className="flex gap-3 px-4 py-3" aria-live="polite" data-testid="live-draft">
      <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin text-blue-600 dark:text-blue-400" aria-hidden />
      <div className="grid min-w-0 flex-1 gap-2">
        {draft ? (
          <>
            <div className="text-sm font-medium">
              Step {draft.step}{" "}
              <span className="font-normal text-muted-foreground">
                · {writing ? "writing…" : "thinking…"}
              </span>
            </div>
            {draft.blocks.map((block) =>
              block.kind === "thinking" ? (
                // Collapsed while it arrives: the reasoning is there for whoever opens it.
                <Thinking key={`t${block.blockIndex}`} text={block.text} live />
              ) : (
                <div key={`x${block.blockIndex}`} className="min-w-0 break-words" data-testid="draft-text">
                  <Markdown source={block.text} />
                </div>
              ),
            )}
          </>
        ) : (
          <div className="text-xs text-muted-foreground">{WAITING[status] ?? "Working…"}</div>
        )}
      </div>
    </li>
  );
}
