// The diff as one flat list of rows (file headers, hunk headers, lines, notes, comment threads): what the
// virtual list renders, a screenful at a time. Pure, so the diff benchmark measures the same model.
import { changedLines, type DiffLine, type PatchFile } from "./parse-patch";

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
  | { type: "thread"; file: number; side: LineSide; line: number; commentIds: string[]; composing: boolean };

/** Rows rendered beyond each edge of the viewport, so fast scrolling never shows a blank strip. */
export const OVERSCAN = 12;

export const ROW_HEIGHT = { file: 41, hunk: 24, line: 20, note: 36, thread: 96 } as const;

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
    for (const hunk of patch.hunks) {
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
    }
  });
  return rows;
}

export function estimateRowHeight(row: Row): number {
  return ROW_HEIGHT[row.type === "split" ? "line" : row.type];
}

/** Comments whose line isn't in the diff shown (e.g. only the changes since the last review). */
export function commentsOutside(rows: Row[], comments: RowComment[], files: ReviewFile[]): string[] {
  const shown = new Set<string>();
  for (const row of rows) {
    if (row.type === "thread") for (const id of row.commentIds) shown.add(id);
  }
  const paths = new Set(files.map((f) => f.path));
  return comments.filter((c) => !shown.has(c.id) || !paths.has(c.path)).map((c) => c.id);
}
