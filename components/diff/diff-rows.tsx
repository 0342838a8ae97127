"use client";

import { ChevronDown, ChevronRight, ChevronUp } from "lucide-react";
import { memo } from "react";
import { cn } from "@/lib/utils";
import { type languageOf, TOKEN_CLASSES, tokenize } from "./highlight";
import type { DiffLine } from "./parse-patch";
import { EXPAND_STEP, type LineSide, type ReviewFile, type Row } from "./rows";
import { splitOffsetVar } from "./split-scroll";

type Language = ReturnType<typeof languageOf>;

export interface LineSelection {
  path: string;
  /** "old": removed lines, numbered in the file before the change. */
  side: LineSide;
  start: number;
  end: number;
}

export type SelectLine = (path: string, line: number, shift: boolean, side: LineSide) => void;

/** The gutter button's name: the side is said for removed lines only. */
export const selectLabel = (side: LineSide, n: number, path: string) =>
  side === "old" ? `Select removed line ${n} of ${path}` : `Select line ${n} of ${path}`;

export const STATUS_LABEL: Record<ReviewFile["status"], string> = {
  added: "Added",
  modified: "Modified",
  deleted: "Deleted",
  renamed: "Renamed",
  copied: "Copied",
  type_changed: "Type changed",
};

const STATUS_TONE: Record<ReviewFile["status"], string> = {
  added: "text-emerald-700 dark:text-emerald-300",
  modified: "text-muted-foreground",
  deleted: "text-red-700 dark:text-red-300",
  renamed: "text-blue-700 dark:text-blue-300",
  copied: "text-blue-700 dark:text-blue-300",
  type_changed: "text-amber-700 dark:text-amber-300",
};

export function FileCounts({ file }: { file: ReviewFile }) {
  if (file.binary) return <span className="text-muted-foreground">binary</span>;
  return (
    <span className="tabular whitespace-nowrap">
      <span className="text-emerald-700 dark:text-emerald-400">+{file.additions.toLocaleString("en")}</span>{" "}
      <span className="text-red-700 dark:text-red-400">−{file.deletions.toLocaleString("en")}</span>
    </span>
  );
}

export function FileHeader({
  file,
  open,
  onToggle,
}: {
  file: ReviewFile;
  open: boolean;
  onToggle: () => void;
}) {
  const Chevron = open ? ChevronDown : ChevronRight;
  return (
    <div
      className="flex h-[41px] items-center gap-2 border-y bg-surface px-2 font-sans"
      data-file={file.path}
    >
      <button
        type="button"
        onClick={onToggle}
        aria-expanded={open}
        aria-label={`${open ? "Collapse" : "Expand"} ${file.path}`}
        className="rounded p-1 text-muted-foreground hover:bg-muted hover:text-foreground"
      >
        <Chevron className="size-4" aria-hidden />
      </button>
      <span className={cn("w-24 shrink-0 text-xs font-medium", STATUS_TONE[file.status])}>
        {STATUS_LABEL[file.status]}
      </span>
      <span className="min-w-0 truncate font-mono text-xs font-medium" title={file.path}>
        {file.oldPath ? (
          <>
            <span className="text-muted-foreground">{file.oldPath}</span> → {file.path}
          </>
        ) : (
          file.path
        )}
      </span>
      <span className="ml-auto pl-2 text-xs">
        <FileCounts file={file} />
      </span>
    </div>
  );
}

function Code({ text, language }: { text: string; language: Language }) {
  return (
    <>
      {tokenize(text, language).map((token, i) =>
        token.kind === "plain" ? (
          token.text
        ) : (
          <span key={i} className={TOKEN_CLASSES[token.kind]}>
            {token.text}
          </span>
        ),
      )}
    </>
  );
}

const LINE_BG = {
  add: "bg-emerald-500/10",
  del: "bg-red-500/10",
  context: "",
} as const;

const SIGN = { add: "+", del: "−", context: " " } as const;

function Gutter({
  n,
  selectable,
  selected,
  onSelect,
  label,
}: {
  n: number | null;
  selectable: boolean;
  selected: boolean;
  onSelect?: (shift: boolean) => void;
  label: string;
}) {
  const base = "w-12 shrink-0 select-none px-2 text-right tabular text-muted-foreground";
  if (n === null || !selectable || !onSelect) return <span className={base}>{n ?? ""}</span>;
  return (
    <button
      type="button"
      className={cn(
        base,
        "hover:text-foreground hover:underline",
        selected && "font-semibold text-foreground",
      )}
      onClick={(event) => onSelect(event.shiftKey)}
      aria-label={label}
      aria-pressed={selected}
    >
      {n}
    </button>
  );
}

function isSelected(selection: LineSelection | null, path: string, side: LineSide, n: number | null) {
  return Boolean(
    selection &&
      n !== null &&
      selection.path === path &&
      selection.side === side &&
      n >= selection.start &&
      n <= selection.end,
  );
}

export const LineRow = memo(function LineRow({
  line,
  path,
  language,
  selection,
  onSelect,
}: {
  line: DiffLine;
  path: string;
  language: Language;
  selection: LineSelection | null;
  onSelect: SelectLine;
}) {
  // A removed line is chosen by its old number; every other line by its new one.
  const removed = line.kind === "del";
  const selected = removed
    ? isSelected(selection, path, "old", line.oldNo)
    : isSelected(selection, path, "new", line.newNo);
  return (
    <div
      className={cn("flex min-h-5 leading-5", LINE_BG[line.kind], selected && "bg-amber-400/25")}
      data-line-kind={line.kind}
    >
      <Gutter
        n={line.oldNo}
        selectable={removed}
        selected={selected && removed}
        onSelect={(shift) => line.oldNo !== null && onSelect(path, line.oldNo, shift, "old")}
        label={selectLabel("old", line.oldNo ?? 0, path)}
      />
      <Gutter
        n={line.newNo}
        selectable={!line.expanded}
        selected={selected && !removed}
        onSelect={(shift) => line.newNo !== null && onSelect(path, line.newNo, shift, "new")}
        label={selectLabel("new", line.newNo ?? 0, path)}
      />
      <span className="w-4 shrink-0 select-none text-center text-muted-foreground">{SIGN[line.kind]}</span>
      <span className="min-w-0 flex-1 whitespace-pre-wrap [overflow-wrap:anywhere] pr-4">
        <Code text={line.text} language={language} />
      </span>
    </div>
  );
});

function Half({
  line,
  side,
  path,
  language,
  selection,
  onSelect,
}: {
  line: DiffLine | null;
  side: "left" | "right";
  path: string;
  language: Language;
  selection: LineSelection | null;
  onSelect: SelectLine;
}) {
  if (!line) return <div className="min-w-0 flex-1 bg-muted/40" />;
  const n = side === "left" ? line.oldNo : line.newNo;
  // The left half's context lines are the right half's too: only its removed lines are chosen there.
  const lineSide: LineSide | null = line.expanded
    ? null
    : side === "right"
      ? "new"
      : line.kind === "del"
        ? "old"
        : null;
  const selected = lineSide !== null && isSelected(selection, path, lineSide, n);
  return (
    <div className={cn("flex min-w-0 flex-1", LINE_BG[line.kind], selected && "bg-amber-400/25")}>
      <Gutter
        n={n}
        selectable={lineSide !== null}
        selected={selected}
        onSelect={(shift) => n !== null && lineSide && onSelect(path, n, shift, lineSide)}
        label={selectLabel(lineSide ?? "new", n ?? 0, path)}
      />
      <span className="w-4 shrink-0 select-none text-center text-muted-foreground">
        {line.kind === "context" ? " " : SIGN[line.kind]}
      </span>
      {/* One line, never wrapped: the side scrolls sideways instead (split-scroll.tsx). */}
      <span className="min-w-0 flex-1 overflow-hidden whitespace-pre pr-2" data-split-code={side}>
        <span
          className="inline-block"
          style={{ transform: `translateX(calc(-1 * var(${splitOffsetVar(side)}, 0px)))` }}
        >
          <Code text={line.text} language={language} />
        </span>
      </span>
    </div>
  );
}

export const SplitRow = memo(function SplitRow(props: {
  row: Extract<Row, { type: "split" }>;
  path: string;
  language: Language;
  selection: LineSelection | null;
  onSelect: SelectLine;
}) {
  const { row, ...rest } = props;
  return (
    <div className="flex min-h-5 leading-5">
      <Half line={row.left} side="left" {...rest} />
      <div className="w-px shrink-0 bg-border" />
      <Half line={row.right} side="right" {...rest} />
    </div>
  );
});

export type ExpandDirection = "up" | "down" | "all";

/** Between hunks: the hidden unchanged lines, one click from being shown (20 at a time, or all). */
export function ExpandRow({
  row,
  path,
  error,
  onExpand,
}: {
  row: Extract<Row, { type: "expand" }>;
  path: string;
  error: string | null;
  onExpand: (path: string, gap: number, direction: ExpandDirection) => void;
}) {
  const button =
    "inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-muted-foreground hover:bg-muted hover:text-foreground";
  const where =
    row.gap === 0 ? "above the first change" : row.canGoUp ? "between changes" : "below the last change";
  return (
    <div
      className="flex h-7 items-center gap-2 bg-blue-500/5 px-2 font-sans text-xs text-muted-foreground"
      data-testid="expand-row"
    >
      {(
        [
          ["up", row.canGoUp, ChevronUp, "upwards"],
          ["down", row.canGoDown, ChevronDown, "downwards"],
        ] as const
      ).map(([direction, offered, Icon, way]) =>
        offered ? (
          <button
            key={direction}
            type="button"
            className={button}
            onClick={() => onExpand(path, row.gap, direction)}
            aria-label={`Show ${EXPAND_STEP} more lines ${where} in ${path} (${way})`}
          >
            <Icon className="size-3.5" aria-hidden /> {EXPAND_STEP}
          </button>
        ) : null,
      )}
      <button
        type="button"
        className={button}
        onClick={() => onExpand(path, row.gap, "all")}
        aria-label={`Show all hidden lines ${where} in ${path}`}
      >
        {row.hidden === null
          ? "Show the rest of the file"
          : `Show all ${row.hidden.toLocaleString("en")} hidden lines`}
      </button>
      {error ? (
        <span role="alert" className="text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function HunkRow({ header }: { header: string }) {
  return (
    <div className="truncate bg-blue-500/8 px-3 leading-6 text-muted-foreground" title={header}>
      {header}
    </div>
  );
}
