// Where a comment belongs in a later revision of its file. A comment keeps the text of the lines it was
// written on; when the branch moves on (a follow-up run), those lines are looked for in the new file:
// still there ("current"), the same text elsewhere ("moved", re-anchored), or gone ("outdated": the agent
// changed them, and the comment is shown with the code it was written against).
import { codeAround } from "./prompts";

export type AnchorState = "current" | "moved" | "outdated";

export interface Anchor {
  state: AnchorState;
  /** Where the comment shows now: its new lines when moved, its original ones otherwise. */
  lineStart: number;
  lineEnd: number;
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** What a comment keeps of the file it was written on: its lines, and the numbered code around them. */
export function snapshotOf(text: string | null, lineStart: number, lineEnd: number) {
  if (text === null) return { lineText: null, context: null };
  const lines = splitLines(text);
  if (lineStart > lines.length) return { lineText: null, context: null };
  return {
    lineText: lines.slice(lineStart - 1, lineEnd).join("\n"),
    context: codeAround(text, lineStart, lineEnd),
  };
}

/**
 * The comment's place in `current` (the file now). Blank lines alone say nothing about where code went,
 * so a comment on whitespace is never re-anchored, only kept or outdated. Of several places holding the
 * same lines, the nearest to the original wins.
 */
export function anchorComment(
  comment: { lineStart: number; lineEnd: number; lineText: string | null },
  current: string | null,
): Anchor {
  const here = { lineStart: comment.lineStart, lineEnd: comment.lineEnd };
  // Nothing kept to compare with (an older comment), or the file can't be read: leave it where it was.
  if (comment.lineText === null) return { state: "current", ...here };
  if (current === null) return { state: "outdated", ...here };
  const lines = splitLines(current);
  const wanted = comment.lineText.split("\n");
  const matchesAt = (start: number) => wanted.every((text, i) => lines[start - 1 + i] === text);
  if (matchesAt(comment.lineStart)) return { state: "current", ...here };
  if (wanted.every((text) => text.trim() === "")) return { state: "outdated", ...here };
  let best: number | null = null;
  for (let start = 1; start + wanted.length - 1 <= lines.length; start++) {
    if (!matchesAt(start)) continue;
    if (best === null || Math.abs(start - comment.lineStart) < Math.abs(best - comment.lineStart)) {
      best = start;
    }
  }
  if (best === null) return { state: "outdated", ...here };
  return { state: "moved", lineStart: best, lineEnd: best + wanted.length - 1 };
}
