import { GitBranch } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { cn } from "@/lib/utils";

function Segment({ href, active, children }: { href: string; active: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      replace
      scroll={false}
      aria-current={active ? "true" : undefined}
      className={cn(
        "rounded px-2 py-1 text-xs font-medium",
        active ? "bg-surface text-foreground shadow-xs" : "text-muted-foreground hover:text-foreground",
      )}
    >
      {children}
    </Link>
  );
}

/** View switches live in the URL, so a review link opens the same view. */
export function ReviewToolbar({
  taskId,
  runId,
  view,
  since,
  canCompare,
  baseBranch,
  branch,
  drafts,
  canComment,
}: {
  taskId: string;
  /** The agent's branch chosen in the URL, kept when switching views. */
  runId: string | null;
  view: "unified" | "split";
  since: "all" | "last_review";
  canCompare: boolean;
  baseBranch: string;
  branch: string | null;
  drafts: number;
  /** Viewers (and closed tasks) read only: the hint doesn't offer commenting. */
  canComment: boolean;
}) {
  const href = (next: { view?: string; since?: string }) => {
    const params = new URLSearchParams();
    if (runId) params.set("run", runId);
    const v = next.view ?? view;
    const s = next.since ?? since;
    if (v === "split") params.set("view", "split");
    if (s === "last_review") params.set("since", "last_review");
    const query = params.toString();
    return `/tasks/${taskId}/review${query ? `?${query}` : ""}`;
  };
  return (
    <div className="mb-3 flex flex-wrap items-center gap-3 text-xs">
      <nav className="flex rounded-md bg-muted p-0.5" aria-label="Diff layout">
        <Segment href={href({ view: "unified" })} active={view === "unified"}>
          Unified
        </Segment>
        <Segment href={href({ view: "split" })} active={view === "split"}>
          Split
        </Segment>
      </nav>
      {canCompare ? (
        <nav className="flex rounded-md bg-muted p-0.5" aria-label="Which changes">
          <Segment href={href({ since: "all" })} active={since === "all"}>
            All changes
          </Segment>
          <Segment href={href({ since: "last_review" })} active={since === "last_review"}>
            Since last review
          </Segment>
        </nav>
      ) : null}
      {branch ? (
        <span className="flex items-center gap-1 font-mono text-muted-foreground">
          <GitBranch className="size-3.5" aria-hidden />
          {baseBranch} ← {branch}
        </span>
      ) : null}
      <span className="ml-auto text-muted-foreground">
        {drafts > 0
          ? `${drafts} draft ${drafts === 1 ? "comment" : "comments"}: they reach the agent when you request changes.`
          : canComment
            ? "Click a line number to see which step wrote it, shift-click for a range; c to comment, j/k to move between files."
            : "Click a line number to see which step wrote it; j/k to move between files."}
      </span>
    </div>
  );
}
