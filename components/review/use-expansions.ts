"use client";

import { useCallback, useRef, useState } from "react";
import type { ExpandDirection } from "@/components/diff/diff-rows";
import { EXPAND_STEP, type FileExpansion } from "@/components/diff/rows";

/**
 * The context the reviewer expanded around the hunks, per file: the file at the diff's head is fetched
 * once, on the first click, then each click shows 20 more lines of one gap (or all of it).
 */
export function useExpansions(taskId: string, headSha: string | null) {
  const [expansions, setExpansions] = useState<ReadonlyMap<string, FileExpansion>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const loaded = useRef(new Map<string, string[]>());

  const expand = useCallback(
    async (path: string, gap: number, direction: ExpandDirection) => {
      if (!headSha) return;
      let lines = loaded.current.get(path);
      if (!lines) {
        try {
          const response = await fetch(
            `/api/team/tasks/${taskId}/file?sha=${headSha}&path=${encodeURIComponent(path)}`,
          );
          const body = (await response.json()) as { lines?: string[]; error?: { message?: string } };
          if (!response.ok || !body.lines) throw new Error(body.error?.message ?? "The file can't be read.");
          lines = body.lines;
          loaded.current.set(path, lines);
        } catch (error) {
          const message = error instanceof Error ? error.message : "The file can't be read.";
          setErrors((current) => new Map(current).set(path, message));
          return;
        }
      }
      const text = lines;
      setErrors((current) => {
        if (!current.has(path)) return current;
        const next = new Map(current);
        next.delete(path);
        return next;
      });
      setExpansions((current) => {
        const file = current.get(path) ?? { lines: text, gaps: {} };
        const shown = file.gaps[gap] ?? { top: 0, bottom: 0 };
        const next =
          direction === "all"
            ? { top: Number.POSITIVE_INFINITY, bottom: 0 }
            : direction === "up"
              ? { ...shown, bottom: shown.bottom + EXPAND_STEP }
              : { ...shown, top: shown.top + EXPAND_STEP };
        return new Map(current).set(path, { lines: text, gaps: { ...file.gaps, [gap]: next } });
      });
    },
    [taskId, headSha],
  );

  return { expansions, errors, expand: headSha ? expand : undefined };
}
