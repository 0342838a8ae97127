// Which lines of which files a review comment may name: the lines shown in the hunks of the diff under
// review, on the comment's side (a removed line on "old", an added or context line on "new"; context
// lines are on both sides).
import { parsePatch } from "@/components/diff/parse-patch";
import { badRequest } from "@/lib/errors";
import type { BranchDiff } from "@/lib/git/diff";
import type { CommentSide } from "./prompts";

interface Range {
  start: number;
  end: number;
}

export interface DiffLines {
  /** The hunks' line ranges of a file on a side; undefined when the file is not in the diff on that side. */
  ranges(path: string, side: CommentSide): Range[] | undefined;
}

export function diffLines(diff: Pick<BranchDiff, "files" | "patch">): DiffLines {
  const patchFiles = parsePatch(diff.patch);
  const bySide = { new: new Map<string, Range[]>(), old: new Map<string, Range[]>() };
  for (const [index, file] of diff.files.entries()) {
    const hunks = patchFiles[index]?.hunks ?? [];
    const ranges = { new: [] as Range[], old: [] as Range[] };
    for (const hunk of hunks) {
      const newCount = hunk.lines.filter((l) => l.newNo !== null).length;
      const oldCount = hunk.lines.filter((l) => l.oldNo !== null).length;
      if (newCount > 0) ranges.new.push({ start: hunk.newStart, end: hunk.newStart + newCount - 1 });
      if (oldCount > 0) ranges.old.push({ start: hunk.oldStart, end: hunk.oldStart + oldCount - 1 });
    }
    if (file.status !== "deleted") bySide.new.set(file.path, ranges.new);
    if (file.status !== "added") bySide.old.set(file.oldPath ?? file.path, ranges.old);
  }
  return { ranges: (path, side) => bySide[side].get(path) };
}

export interface CommentPlace {
  path: string;
  side: CommentSide;
  lineStart: number;
  lineEnd: number;
}

/**
 * Refuses a comment that names a file outside the diff, or lines outside every hunk of it on its side
 * (a range must lie within one hunk): the agent would get a comment about code the review never showed.
 * The 400 names the field: `fields.path` or `fields.line`.
 */
export function assertCommentInDiff(
  lines: DiffLines,
  comment: CommentPlace,
  fields: { path: string; line: string },
): void {
  const ranges = lines.ranges(comment.path, comment.side);
  if (!ranges) {
    const which =
      comment.side === "old" ? "a file this branch changed, as it was before" : "a file this branch changed";
    throw badRequest(`${comment.path} isn't in the diff under review; comment on ${which}.`, fields.path);
  }
  const inHunk = ranges.some((r) => r.start <= comment.lineStart && comment.lineEnd <= r.end);
  if (!inHunk) {
    const named =
      comment.lineStart === comment.lineEnd
        ? `line ${comment.lineStart}`
        : `lines ${comment.lineStart}–${comment.lineEnd}`;
    const shown = ranges.length
      ? `the diff shows ${ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}–${r.end}`)).join(", ")}`
      : "the diff shows none of its lines";
    throw badRequest(
      `${comment.path}: ${named} on the ${comment.side} side isn't in the diff under review (${shown}).`,
      fields.line,
    );
  }
}
