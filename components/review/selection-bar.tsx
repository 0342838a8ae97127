"use client";

import { GitCommitHorizontal, Loader2, MessageSquarePlus, X } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { lineProvenanceAction } from "@/app/(dashboard)/tasks/[id]/review/actions";
import type { LineSelection } from "@/components/diff/diff-rows";
import { Button } from "@/components/ui/button";
import type { LineProvenance } from "@/lib/reviews/queries";
import { lineLabel } from "./comment-thread";

/** Provenance of the selected line (which run step wrote it) and the way to comment on the selection. */
export function SelectionBar({
  taskId,
  runId,
  selection,
  canComment,
  onComment,
  onClear,
}: {
  taskId: string;
  runId: string | null;
  selection: LineSelection;
  canComment: boolean;
  onComment: () => void;
  onClear: () => void;
}) {
  const [provenance, setProvenance] = useState<LineProvenance | null | "loading">("loading");
  const line = selection.start;
  const removed = selection.side === "old";
  useEffect(() => {
    // A removed line isn't on the branch: no step of the run wrote it.
    if (removed) return;
    let live = true;
    setProvenance("loading");
    lineProvenanceAction(taskId, selection.path, line, runId).then((p) => live && setProvenance(p));
    return () => {
      live = false;
    };
  }, [taskId, selection.path, line, runId, removed]);

  return (
    <div
      className="flex items-center gap-3 border-t bg-surface px-3 py-2 text-xs"
      data-testid="selection-bar"
    >
      <span className="shrink-0">
        <span className="font-mono">{selection.path}</span>,{" "}
        {lineLabel({ side: selection.side, lineStart: selection.start, lineEnd: selection.end })}
      </span>
      <span
        className="flex min-w-0 flex-1 flex-wrap items-center gap-x-1.5 text-muted-foreground"
        data-testid="provenance"
      >
        <GitCommitHorizontal className="size-3.5" aria-hidden />
        {removed ? (
          "Removed by this branch; numbered as in the file before it."
        ) : provenance === "loading" ? (
          <Loader2 className="size-3.5 animate-spin" aria-label="Looking up which step wrote it" />
        ) : !provenance ? (
          "Not written by this task."
        ) : provenance.runId && provenance.step !== null ? (
          <>
            Line {line} was written in
            <Link
              href={`/runs/${provenance.runId}${provenance.seq ? `#step-${provenance.seq}` : ""}`}
              className="font-medium text-accent hover:underline"
            >
              step {provenance.step} of the run
            </Link>
            <span className="font-mono">({provenance.sha.slice(0, 7)})</span>
          </>
        ) : (
          <>
            Line {line} predates this task: <span className="font-mono">{provenance.sha.slice(0, 7)}</span>
            {provenance.author ? ` by ${provenance.author}` : ""}
          </>
        )}
      </span>
      <span className="flex shrink-0 items-center gap-1">
        {canComment ? (
          <Button size="sm" onClick={onComment}>
            <MessageSquarePlus aria-hidden /> Comment
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" onClick={onClear} aria-label="Clear selection">
          <X aria-hidden />
        </Button>
      </span>
    </div>
  );
}
