"use client";

import { type RefObject, useCallback, useMemo, useRef } from "react";
import type { Row } from "./rows";

export type SplitSide = "left" | "right";

/** The CSS variable each half's code is shifted by: one per side, set on the scroller, no re-render. */
export const splitOffsetVar = (side: SplitSide) => `--split-x-${side}`;

/** Columns a line takes in monospace, tabs at 8 (the browser's default tab size). */
function columns(text: string): number {
  let n = 0;
  for (const ch of text) n = ch === "\t" ? n + 8 - (n % 8) : n + 1;
  return n;
}

/**
 * Split view keeps code on one line, as an editor does: each side scrolls horizontally on its own, like
 * two editors side by side. The diff's rows are virtualised, so no row can own a scrollbar: one bar per
 * side under the diff drives a CSS variable that shifts that side's code in every row. The wheel (or a
 * trackpad's sideways swipe, or shift + wheel) over a side moves that side's bar.
 */
export function useSplitScroll(rows: Row[], scroller: RefObject<HTMLDivElement | null>) {
  const bars = { left: useRef<HTMLElement>(null), right: useRef<HTMLElement>(null) };
  const widest = useMemo(() => {
    const max = { left: 0, right: 0 };
    for (const row of rows) {
      if (row.type !== "split") continue;
      if (row.left) max.left = Math.max(max.left, columns(row.left.text));
      if (row.right) max.right = Math.max(max.right, columns(row.right.text));
    }
    return max;
  }, [rows]);
  const onBarScroll = useCallback(
    (side: SplitSide) => (event: React.UIEvent<HTMLElement>) => {
      scroller.current?.style.setProperty(splitOffsetVar(side), `${event.currentTarget.scrollLeft}px`);
    },
    [scroller],
  );
  const { left, right } = bars;
  const onWheel = useCallback(
    (event: React.WheelEvent<HTMLDivElement>) => {
      const sideways = event.shiftKey ? event.deltaY || event.deltaX : event.deltaX;
      if (!sideways || (!event.shiftKey && Math.abs(event.deltaX) < Math.abs(event.deltaY))) return;
      const box = event.currentTarget.getBoundingClientRect();
      const bar = (event.clientX < box.left + box.width / 2 ? left : right).current;
      if (bar) bar.scrollLeft += sideways;
    },
    [left, right],
  );
  return { bars, widest, onBarScroll, onWheel };
}

/** The two horizontal scrollbars under a split diff, each as wide as its side. */
export function SplitScrollbars({
  bars,
  widest,
  onBarScroll,
}: Pick<ReturnType<typeof useSplitScroll>, "bars" | "widest" | "onBarScroll">) {
  return (
    <div className="flex shrink-0 border-t bg-surface font-mono text-xs" data-testid="split-scrollbars">
      {(["left", "right"] as const).map((side) => (
        <section
          key={side}
          ref={bars[side]}
          onScroll={onBarScroll(side)}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll area is scrolled with the arrow keys
          tabIndex={0}
          aria-label={side === "left" ? "Scroll the old side sideways" : "Scroll the new side sideways"}
          className="min-w-0 flex-1 overflow-x-auto overflow-y-hidden focus-visible:outline-2 focus-visible:outline-accent"
        >
          {/* The gutter (3rem), the sign (1rem) and the widest line, in the code's own font. */}
          <div className="h-2" style={{ width: `calc(4.5rem + ${widest[side]}ch)` }} />
        </section>
      ))}
    </div>
  );
}
