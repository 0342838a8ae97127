// The diff as one flat list of rows (file headers, hunk headers, lines, notes, comment threads): what the
// virtual list renders, a screenful at a time. Pure, so the diff benchmark measures the same model.
import { changedLines, type DiffLine, type Hunk, type PatchFile } from "./parse-patch";

export interface ReviewFile {
  path: string;
  oldPath: string | null;
  status: "added" | "modified" | "deleted" | "renamed" | "copied" | "type_changed";
  additions: number;
  deletions: number;
  binary: boolean;
}

/** "new": a line of the branch's file; "old": a removed line, numbered in the file before the change. */
export type LineSide = "old" | "new";

export interface RowComment {
  id: string;
  path: string;
  side?: LineSide;
  lineStart: number;
  lineEnd: number;
}

export type DiffView = "unified" | "split";

export type Row =
  | { type: "file"; file: number }
  | { type: "hunk"; file: number; header: string }
  | { type: "line"; file: number; line: DiffLine }
  | { type: "split"; file: number; left: DiffLine | null; right: DiffLine | null }
  | { type: "note"; file: number; note: "binary" | "renamed" | "collapsed" | "empty"; lines?: number }
  | { type: "thread"; file: number; side: LineSide; line: number; commentIds: string[]; composing: boolean }
  /** Unchanged lines hidden between hunks (gap i: before hunk i; the last: after the last hunk). */
  | {
      type: "expand";
      file: number;
      gap: number;
      hidden: number | null;
      canGoUp: boolean;
      canGoDown: boolean;
    };

/**
 * What the reviewer expanded in one file: its text at the branch head (once fetched) and, per gap, how
 * many lines are shown from the gap's top (after the previous hunk) and from its bottom (before the
 * next). `Infinity` shows a whole gap.
 */
export interface FileExpansion {
  lines: string[] | null;
  gaps: Record<number, { top: number; bottom: number }>;
}

/** Rows rendered beyond each edge of the viewport, so fast scrolling never shows a blank strip. */
export const OVERSCAN = 12;

export const ROW_HEIGHT = { file: 41, hunk: 24, line: 20, note: 36, thread: 96, expand: 28 } as const;

/** Files this big, lock files and generated output start collapsed: the reviewer opens them on purpose. */
export const COLLAPSE_OVER_LINES = 400;
const GENERATED =
  /(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|go\.sum)$|\.min\.(js|css)$/;

export function startsCollapsed(file: ReviewFile, patch: PatchFile | undefined): boolean {
  if (GENERATED.test(file.path)) return true;
  return patch ? changedLines(patch) > COLLAPSE_OVER_LINES : false;
}

/** Split view: context lines side by side, and each run of deletions beside the additions that follow. */
export function pairLines(lines: DiffLine[]): Array<[DiffLine | null, DiffLine | null]> {
  const pairs: Array<[DiffLine | null, DiffLine | null]> = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as DiffLine;
    if (line.kind === "context") {
      pairs.push([line, line]);
      i++;
      continue;
    }
    const dels: DiffLine[] = [];
    const adds: DiffLine[] = [];
    while (i < lines.length && lines[i]?.kind === "del") dels.push(lines[i++] as DiffLine);
    while (i < lines.length && lines[i]?.kind === "add") adds.push(lines[i++] as DiffLine);
    for (let k = 0; k < Math.max(dels.length, adds.length); k++)
      pairs.push([dels[k] ?? null, adds[k] ?? null]);
  }
  return pairs;
}

export function buildRows(options: {
  files: ReviewFile[];
  patches: PatchFile[];
  view: DiffView;
  /** Paths whose open/closed state differs from how they start. */
  toggled: ReadonlySet<string>;
  comments: RowComment[];
  /** The range a comment is being written for. */
  composing: { path: string; side?: LineSide; lineEnd: number } | null;
  /** Context expanded per path (absent: only the patch's own lines). */
  expansions?: ReadonlyMap<string, FileExpansion>;
}): Row[] {
  const rows: Row[] = [];
  const threads = new Map<string, string[]>();
  const keyOf = (path: string, side: LineSide, line: number) => `${path}\0${side}\0${line}`;
  for (const c of options.comments) {
    const key = keyOf(c.path, c.side ?? "new", c.lineEnd);
    threads.set(key, [...(threads.get(key) ?? []), c.id]);
  }
  const composing = options.composing;
  options.files.forEach((file, index) => {
    rows.push({ type: "file", file: index });
    const patch = options.patches[index];
    const collapsed = startsCollapsed(file, patch) !== options.toggled.has(file.path);
    if (collapsed) {
      rows.push({ type: "note", file: index, note: "collapsed", lines: file.additions + file.deletions });
      return;
    }
    if (file.binary || patch?.binary) {
      rows.push({ type: "note", file: index, note: "binary" });
      return;
    }
    if (!patch || patch.hunks.length === 0) {
      rows.push({ type: "note", file: index, note: file.status === "renamed" ? "renamed" : "empty" });
      return;
    }
    // A removed line's comments follow it on the old side; every other line's on the new side.
    const threadAfter = (line: DiffLine | null) => {
      if (!line) return;
      const side: LineSide = line.kind === "del" ? "old" : "new";
      const n = side === "old" ? line.oldNo : line.newNo;
      if (n === null) return;
      const ids = threads.get(keyOf(file.path, side, n));
      const writing =
        composing?.path === file.path && (composing.side ?? "new") === side && composing.lineEnd === n;
      if (ids || writing) {
        rows.push({ type: "thread", file: index, side, line: n, commentIds: ids ?? [], composing: writing });
      }
    };
    const expandable = file.status !== "deleted" && file.status !== "added";
    const expansion = options.expansions?.get(file.path);
    const gaps = expandable ? gapsOf(patch.hunks, expansion?.lines?.length ?? null) : [];
    const pushContext = (line: DiffLine) => {
      if (options.view === "split") rows.push({ type: "split", file: index, left: line, right: line });
      else rows.push({ type: "line", file: index, line });
    };
    const pushGap = (g: number) => {
      const gap = gaps[g];
      if (!gap) return;
      const size = gap.end === null ? null : gap.end - gap.start + 1;
      if (size === 0) return;
      const lines = expansion?.lines;
      const shown = expansion?.gaps[g] ?? { top: 0, bottom: 0 };
      if (!lines || size === null) {
        rows.push({
          type: "expand",
          file: index,
          gap: g,
          hidden: size,
          canGoUp: g < gaps.length - 1,
          canGoDown: g > 0,
        });
        return;
      }
      const top = Math.min(size, shown.top);
      const bottom = Math.min(size - top, shown.bottom);
      const context = (n: number): DiffLine => ({
        kind: "context",
        text: lines[n - 1] ?? "",
        oldNo: n + gap.offset,
        newNo: n,
        expanded: true,
      });
      for (let n = gap.start; n < gap.start + top; n++) pushContext(context(n));
      const hidden = size - top - bottom;
      if (hidden > 0) {
        rows.push({
          type: "expand",
          file: index,
          gap: g,
          hidden,
          canGoUp: g < gaps.length - 1,
          canGoDown: g > 0,
        });
      }
      for (let n = gap.start + size - bottom; n < gap.start + size; n++) pushContext(context(n));
    };
    patch.hunks.forEach((hunk, h) => {
      pushGap(h);
      rows.push({ type: "hunk", file: index, header: hunk.header });
      if (options.view === "split") {
        for (const [left, right] of pairLines(hunk.lines)) {
          rows.push({ type: "split", file: index, left, right });
          if (left?.kind === "del") threadAfter(left);
          threadAfter(right);
        }
      } else {
        for (const line of hunk.lines) {
          rows.push({ type: "line", file: index, line });
          threadAfter(line);
        }
      }
    });
    pushGap(patch.hunks.length);
  });
  return rows;
}

interface Gap {
  /** First hidden line, numbered in the new file. */
  start: number;
  /** Last hidden line; null after the last hunk until the file's length is known. */
  end: number | null;
  /** Old line number minus new line number across the gap (unchanged lines shift by this). */
  offset: number;
}

/** The first and last line a hunk covers on one side (a side with no lines sits just after `start`). */
function span(start: number, count: number): [number, number] {
  return count > 0 ? [start, start + count - 1] : [start + 1, start];
}

/** The unchanged stretches around a file's hunks: before each hunk, and after the last. */
export function gapsOf(hunks: Hunk[], fileLength: number | null): Gap[] {
  const gaps: Gap[] = [];
  let newAfter = 0;
  let oldAfter = 0;
  for (const hunk of hunks) {
    const news = hunk.lines.filter((l) => l.kind !== "del").length;
    const olds = hunk.lines.filter((l) => l.kind !== "add").length;
    const [newFirst, newLast] = span(hunk.newStart, news);
    const [oldFirst, oldLast] = span(hunk.oldStart, olds);
    gaps.push({ start: newAfter + 1, end: newFirst - 1, offset: oldFirst - newFirst });
    newAfter = newLast;
    oldAfter = oldLast;
  }
  gaps.push({ start: newAfter + 1, end: fileLength, offset: oldAfter - newAfter });
  return gaps;
}

export function estimateRowHeight(row: Row): number {
  return ROW_HEIGHT[row.type === "split" ? "line" : row.type];
}

/** Lines one click of "expand up/down" shows. */
export const EXPAND_STEP = 20;

/** Comments whose line isn't in the diff shown (e.g. only the changes since the last review). */
export function commentsOutside(rows: Row[], comments: RowComment[], files: ReviewFile[]): string[] {
  const shown = new Set<string>();
  for (const row of rows) {
    if (row.type === "thread") for (const id of row.commentIds) shown.add(id);
  }
  const paths = new Set(files.map((f) => f.path));
  return comments.filter((c) => !shown.has(c.id) || !paths.has(c.path)).map((c) => c.id);
}
