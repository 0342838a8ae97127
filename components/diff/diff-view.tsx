"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useImperativeHandle, useMemo, useRef } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import {
  type ExpandDirection,
  ExpandRow,
  FileHeader,
  HunkRow,
  LineRow,
  type LineSelection,
  type SelectLine,
  SplitRow,
} from "./diff-rows";
import { languageOf } from "./highlight";
import { estimateRowHeight, OVERSCAN, type ReviewFile, type Row } from "./rows";
import { SplitScrollbars, useSplitScroll } from "./split-scroll";

export interface DiffViewHandle {
  scrollToFile: (fileIndex: number) => void;
  /** A line of the branch's file (its new number). */
  scrollToLine: (path: string, line: number) => void;
}

const NOTES = {
  binary: "Binary file: not shown.",
  renamed: "Renamed without changes.",
  empty: "No changes to show (mode or type change only).",
} as const;

/**
 * The diff, virtualised: only the rows on screen (plus a margin) are in the DOM, so a 10,000-line diff
 * scrolls like a short one. Row heights are measured once mounted (wrapped lines, comment threads).
 */
export function DiffView({
  rows,
  files,
  open,
  selection,
  onSelectLine,
  onToggleFile,
  renderThread,
  onExpand,
  expandErrors,
  handle,
}: {
  rows: Row[];
  files: ReviewFile[];
  open: (path: string) => boolean;
  selection: LineSelection | null;
  onSelectLine: SelectLine;
  onToggleFile: (path: string) => void;
  renderThread: (row: Extract<Row, { type: "thread" }>) => ReactNode;
  /** Shows hidden context around the hunks; absent: nothing is expandable. */
  onExpand?: (path: string, gap: number, direction: ExpandDirection) => void;
  /** Why a file's context couldn't be loaded, by path. */
  expandErrors?: ReadonlyMap<string, string>;
  handle?: React.Ref<DiffViewHandle>;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const languages = useMemo(() => files.map((f) => languageOf(f.path)), [files]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimateRowHeight(rows[index] as Row),
    overscan: OVERSCAN,
  });

  const sideways = useSplitScroll(rows, scroller);

  useImperativeHandle(
    handle,
    () => ({
      scrollToFile: (fileIndex) => {
        const index = rows.findIndex((r) => r.type === "file" && r.file === fileIndex);
        if (index >= 0) virtualizer.scrollToIndex(index, { align: "start" });
      },
      scrollToLine: (path, line) => {
        const index = rows.findIndex(
          (r) =>
            (r.type === "line" && r.line.newNo === line && files[r.file]?.path === path) ||
            (r.type === "split" && r.right?.newNo === line && files[r.file]?.path === path),
        );
        if (index >= 0) virtualizer.scrollToIndex(index, { align: "center" });
      },
    }),
    [rows, files, virtualizer],
  );

  const render = (row: Row) => {
    const file = files[row.file] as ReviewFile;
    switch (row.type) {
      case "file":
        return <FileHeader file={file} open={open(file.path)} onToggle={() => onToggleFile(file.path)} />;
      case "hunk":
        return <HunkRow header={row.header} />;
      case "line":
        return (
          <LineRow
            line={row.line}
            path={file.path}
            language={languages[row.file] ?? null}
            selection={selection}
            onSelect={onSelectLine}
          />
        );
      case "split":
        return (
          <SplitRow
            row={row}
            path={file.path}
            language={languages[row.file] ?? null}
            selection={selection}
            onSelect={onSelectLine}
          />
        );
      case "thread":
        return renderThread(row);
      case "expand":
        return onExpand ? (
          <ExpandRow
            row={row}
            path={file.path}
            error={expandErrors?.get(file.path) ?? null}
            onExpand={onExpand}
          />
        ) : null;
      case "note":
        return row.note === "collapsed" ? (
          <div className="flex h-9 items-center gap-3 px-4 font-sans text-xs text-muted-foreground">
            {row.lines ? `${row.lines.toLocaleString("en")} changed lines, collapsed.` : "Collapsed."}
            <Button size="sm" variant="secondary" onClick={() => onToggleFile(file.path)}>
              Show file
            </Button>
          </div>
        ) : (
          <div className="flex h-9 items-center px-4 font-sans text-xs text-muted-foreground">
            {NOTES[row.note]}
          </div>
        );
    }
  };

  const split = rows.some((r) => r.type === "split");
  const list = (
    <div
      ref={scroller}
      className={cn(
        "overflow-y-auto overflow-x-hidden font-mono text-xs",
        split ? "min-h-0 flex-1" : "h-full",
      )}
      data-testid="diff-scroller"
      onWheel={split ? sideways.onWheel : undefined}
    >
      <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            data-row={rows[item.index]?.type}
            ref={virtualizer.measureElement}
            className="absolute left-0 top-0 w-full"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            {render(rows[item.index] as Row)}
          </div>
        ))}
      </div>
    </div>
  );
  if (!split) return list;
  return (
    <div className="flex h-full flex-col">
      {list}
      <SplitScrollbars bars={sideways.bars} widest={sideways.widest} onBarScroll={sideways.onBarScroll} />
    </div>
  );
}
