"use client";

import { type RefObject, useCallback, useEffect, useState } from "react";

export interface OffScreenColumns {
  /** Labels of the columns cut off on each side of the scrolling board. */
  left: string[];
  right: string[];
}

const NONE: OffScreenColumns = { left: [], right: [] };

function same(a: OffScreenColumns, b: OffScreenColumns) {
  return a.left.join("\n") === b.left.join("\n") && a.right.join("\n") === b.right.join("\n");
}

/**
 * Which columns of a horizontally scrolling board are not fully in view, kept current on scroll and
 * resize (of the board or of any column: a column that fills up widens). A scrollbar alone is easy to
 * miss, so the board names what is hidden and offers to scroll there.
 */
export function useOffScreenColumns(ref: RefObject<HTMLElement | null>) {
  const [hidden, setHidden] = useState<OffScreenColumns>(NONE);

  useEffect(() => {
    const board = ref.current;
    if (!board) return;
    const measure = () => {
      const box = board.getBoundingClientRect();
      const next: OffScreenColumns = { left: [], right: [] };
      for (const column of board.querySelectorAll<HTMLElement>("[data-column]")) {
        const rect = column.getBoundingClientRect();
        const label = column.dataset.label ?? "";
        // A pixel of slack for sub-pixel layout.
        if (rect.left < box.left - 1) next.left.push(label);
        else if (rect.right > box.right + 1) next.right.push(label);
      }
      setHidden((current) => (same(current, next) ? current : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(board);
    for (const column of board.querySelectorAll("[data-column]")) observer.observe(column);
    board.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      board.removeEventListener("scroll", measure);
    };
  }, [ref]);

  const scrollTo = useCallback(
    (side: "left" | "right") => {
      const board = ref.current;
      if (!board) return;
      const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      board.scrollTo({
        left: side === "left" ? 0 : board.scrollWidth,
        behavior: reduce ? "auto" : "smooth",
      });
    },
    [ref],
  );

  return { hidden, scrollTo };
}
