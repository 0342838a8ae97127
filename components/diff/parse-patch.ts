// A unified patch (git diff output) into files, hunks and numbered lines. Pure and dependency-free: the
// review page parses in the browser, and the diff benchmark times exactly this code.

export type LineKind = "add" | "del" | "context";

export interface DiffLine {
  kind: LineKind;
  text: string;
  /** Line number in the old file (null for additions). */
  oldNo: number | null;
  /** Line number in the new file (null for deletions). */
  newNo: number | null;
  /** Unchanged context the reviewer expanded (not part of the patch): shown, not commented on. */
  expanded?: boolean;
}

export interface Hunk {
  header: string;
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

export interface PatchFile {
  /** The `diff --git` header and extended headers (rename from, new file mode, Binary files …). */
  meta: string[];
  hunks: Hunk[];
  binary: boolean;
  /** "\ No newline at end of file" seen. */
  noNewlineAtEnd: boolean;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/**
 * Splits a patch into per-file sections in order. The file list from git (paths, status, counts) comes in
 * the same order, so names are never parsed out of quoted headers.
 */
export function parsePatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let file: PatchFile | null = null;
  let hunk: Hunk | null = null;
  let oldNo = 0;
  let newNo = 0;
  let start = 0;
  const length = patch.length;
  while (start < length) {
    let end = patch.indexOf("\n", start);
    if (end === -1) end = length;
    const line = patch.slice(start, end);
    start = end + 1;

    if (line.startsWith("diff --git ")) {
      file = { meta: [line], hunks: [], binary: false, noNewlineAtEnd: false };
      files.push(file);
      hunk = null;
      continue;
    }
    if (!file) continue;
    if (hunk) {
      const first = line.charCodeAt(0);
      if (first === 43 /* + */) {
        hunk.lines.push({ kind: "add", text: line.slice(1), oldNo: null, newNo: newNo++ });
        continue;
      }
      if (first === 45 /* - */) {
        hunk.lines.push({ kind: "del", text: line.slice(1), oldNo: oldNo++, newNo: null });
        continue;
      }
      if (first === 32 /* space */ || line === "") {
        if (line === "" && start >= length) break; // the patch's final newline
        hunk.lines.push({ kind: "context", text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
        continue;
      }
      if (first === 92 /* \ */) {
        file.noNewlineAtEnd = true;
        continue;
      }
    }
    const header = HUNK.exec(line);
    if (header) {
      oldNo = Number(header[1]);
      newNo = Number(header[2]);
      hunk = { header: line, oldStart: oldNo, newStart: newNo, lines: [] };
      file.hunks.push(hunk);
      continue;
    }
    if (line.startsWith("Binary files ") || line === "GIT binary patch") file.binary = true;
    file.meta.push(line);
  }
  return files;
}

/** Number of changed lines in a parsed file (what decides whether it starts collapsed). */
export function changedLines(file: PatchFile): number {
  let n = 0;
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.kind !== "context") n++;
  return n;
}
