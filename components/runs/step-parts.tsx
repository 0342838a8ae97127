import type { LucideIcon } from "lucide-react";
import type * as React from "react";
import { cn } from "@/lib/utils";
import { formatDuration } from "./format";

const FOLD_LINES = 24;
const FOLD_CHARS = 2_000;

/** One entry of the run's steps: an icon, a heading line, and what happened. */
export function Entry({
  seq,
  icon: Icon,
  title,
  meta,
  tone = "default",
  children,
}: {
  seq: number;
  icon: LucideIcon;
  title: React.ReactNode;
  meta?: React.ReactNode;
  tone?: "default" | "muted" | "success" | "danger" | "warning";
  children?: React.ReactNode;
}) {
  return (
    <li id={`step-${seq}`} className="relative flex scroll-mt-4 gap-3 px-4 py-3" data-seq={seq}>
      <Icon
        className={cn(
          "mt-0.5 size-4 shrink-0",
          tone === "success" && "text-emerald-600 dark:text-emerald-400",
          tone === "danger" && "text-danger",
          tone === "warning" && "text-amber-600 dark:text-amber-400",
          (tone === "default" || tone === "muted") && "text-muted-foreground",
        )}
        aria-hidden
      />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
          <div className={cn("text-sm font-medium", tone === "muted" && "text-muted-foreground")}>
            {title}
          </div>
          {meta ? <div className="tabular text-xs text-muted-foreground">{meta}</div> : null}
        </div>
        {children ? <div className="mt-1.5 grid gap-2">{children}</div> : null}
      </div>
    </li>
  );
}

export function Mono({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <code className={cn("break-all rounded bg-muted px-1.5 py-0.5 font-mono text-xs", className)}>
      {children}
    </code>
  );
}

/** Command output in a <pre>; long output folded so the page stays scannable. */
export function Output({ text, label = "Output" }: { text: string; label?: string }) {
  if (!text.trim()) return <p className="text-xs text-muted-foreground">No output.</p>;
  const lines = text.split("\n").length;
  const pre = (
    <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md border bg-muted/40 px-3 py-2 font-mono text-xs leading-relaxed">
      {text}
    </pre>
  );
  if (lines <= FOLD_LINES && text.length <= FOLD_CHARS) return pre;
  return (
    <details className="group">
      <summary className="cursor-pointer select-none text-xs text-muted-foreground hover:text-foreground">
        {label} ({lines} lines)
      </summary>
      <div className="mt-1.5">{pre}</div>
    </details>
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
