"use client";

import { Link2, type LucideIcon } from "lucide-react";
import type * as React from "react";
import { createContext, useContext, useState } from "react";
import { toast } from "sonner";
import { cn } from "@/lib/utils";
import { formatDuration } from "./format";

/** What every entry of a run's timeline needs to know about the page. */
export interface TimelineContextValue {
  runId: string;
  active: boolean;
  canApprove: boolean;
  /** The entry the URL points at (#step-12), highlighted. */
  highlighted: string | null;
}

export const TimelineContext = createContext<TimelineContextValue>({
  runId: "",
  active: false,
  canApprove: false,
  highlighted: null,
});

export type Tone = "default" | "muted" | "success" | "danger" | "warning";

export const toneClass = (tone: Tone) =>
  cn(
    tone === "success" && "text-emerald-600 dark:text-emerald-400",
    tone === "danger" && "text-danger",
    tone === "warning" && "text-amber-600 dark:text-amber-400",
    (tone === "default" || tone === "muted") && "text-muted-foreground",
  );

/**
 * One entry of the run's timeline: an icon, a heading that links to the entry (#step-12, with a button
 * that copies the link), what happened, and when it is the URL's target, a highlight.
 */
export function Entry({
  anchor,
  step,
  icon: Icon,
  title,
  meta,
  tone = "default",
  children,
}: {
  anchor: string;
  /** The model step this entry is, for a step entry. */
  step?: number;
  icon: LucideIcon;
  title: React.ReactNode;
  meta?: React.ReactNode;
  tone?: Tone;
  children?: React.ReactNode;
}) {
  const { highlighted } = useContext(TimelineContext);
  const isTarget = highlighted === anchor;
  return (
    <li
      id={anchor}
      data-step={step}
      data-highlighted={isTarget ? "true" : undefined}
      className={cn(
        "group/entry relative flex scroll-mt-16 gap-3 px-4 py-3 transition-colors",
        isTarget && "bg-accent/6 shadow-[inset_3px_0_0_var(--accent)]",
      )}
    >
      <Icon className={cn("mt-0.5 size-4 shrink-0", toneClass(tone))} aria-hidden />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
          <div className="flex min-w-0 items-baseline gap-1.5">
            <a
              href={`#${anchor}`}
              className={cn(
                "text-sm font-medium underline-offset-2 hover:underline",
                tone === "muted" && "text-muted-foreground",
              )}
            >
              {title}
            </a>
            <CopyLink anchor={anchor} label={step ? `Step ${step}` : "this entry"} />
          </div>
          {meta ? <div className="tabular text-xs text-muted-foreground">{meta}</div> : null}
        </div>
        {children ? <div className="mt-1.5 grid min-w-0 gap-2">{children}</div> : null}
      </div>
    </li>
  );
}

/** Copies the entry's address (…/runs/ID#step-12) so it can be pasted into a chat or an issue. */
function CopyLink({ anchor, label }: { anchor: string; label: string }) {
  return (
    <button
      type="button"
      aria-label={`Copy link to ${label}`}
      title={`Copy link to ${label}`}
      className="self-center rounded p-0.5 text-muted-foreground/60 hover:bg-muted hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      onClick={async () => {
        const url = new URL(window.location.href);
        url.hash = anchor;
        try {
          await navigator.clipboard.writeText(url.toString());
          toast.success(`Link to ${label} copied.`);
        } catch {
          // No clipboard (an insecure origin): the address bar holds the link instead.
          window.location.hash = anchor;
          toast.message(`Copy the link from the address bar: ${url}`);
        }
      }}
    >
      <Link2 className="size-3.5" aria-hidden />
    </button>
  );
}

export function Mono({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <code className={cn("break-all rounded bg-muted px-1.5 py-0.5 font-mono text-xs", className)}>
      {children}
    </code>
  );
}

const PREVIEW_LINES = 12;
const PREVIEW_CHARS = 1_500;
/** Output up to this long is shown whole: folding it would hide only a few lines. */
const FOLD_LINES = 24;
const FOLD_CHARS = 3_000;

/** Command output: long output shows its first lines, with "Show all (N lines)" for the rest. */
export function Output({ text }: { text: string }) {
  const [expanded, setExpanded] = useState(false);
  if (!text.trim()) return <p className="text-xs text-muted-foreground">No output.</p>;
  const body = text.replace(/\n+$/, "");
  const lines = body.split("\n");
  const long = lines.length > FOLD_LINES || body.length > FOLD_CHARS;
  const preview = long ? lines.slice(0, PREVIEW_LINES).join("\n").slice(0, PREVIEW_CHARS) : body;
  return (
    <div className="grid min-w-0 gap-1" data-testid="tool-output">
      <pre
        className={cn(
          "overflow-auto whitespace-pre-wrap break-words rounded-md border bg-muted/40 px-3 py-2 font-mono text-xs leading-relaxed",
          expanded ? "max-h-[36rem]" : "max-h-96",
          long && !expanded && "rounded-b-none border-b-0",
        )}
      >
        {expanded ? body : preview}
      </pre>
      {long ? (
        <button
          type="button"
          onClick={() => setExpanded(!expanded)}
          aria-expanded={expanded}
          className={cn(
            "justify-self-stretch border bg-muted/60 px-3 py-1 text-left text-xs text-muted-foreground hover:bg-muted hover:text-foreground",
            expanded ? "rounded-md" : "-mt-1 rounded-b-md",
          )}
        >
          {expanded ? "Show less" : `Show all (${lines.length} lines)`}
        </button>
      ) : null}
    </div>
  );
}

export function ExitCode({ code, timedOut }: { code: number | null | undefined; timedOut?: boolean }) {
  if (timedOut) return <span className="text-danger">timed out</span>;
  if (code === undefined) return null;
  if (code === null) return <span className="text-muted-foreground">no exit code</span>;
  return (
    <span className={code === 0 ? "text-emerald-700 dark:text-emerald-400" : "text-danger"}>
      exit code {code}
    </span>
  );
}

export function Meta({ parts }: { parts: React.ReactNode[] }) {
  const shown = parts.filter((p) => p !== null && p !== undefined && p !== false && p !== "");
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2">
      {shown.map((part, i) => (
        <span key={i} className="inline-flex items-center gap-2">
          {i > 0 ? <span aria-hidden>·</span> : null}
          {part}
        </span>
      ))}
    </span>
  );
}

export const duration = (ms: number | undefined) => (ms === undefined ? null : formatDuration(ms));
