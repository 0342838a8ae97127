// The agent's text editor tool (text_editor_20250728, named str_replace_based_edit_tool): view, create,
// str_replace and insert, confined to the run's worktree. Every path is resolved to its real location
// (symlinks followed) before it is checked, and the tool only ever touches the path it checked.
// Problems come back as `isError` results the model can read and act on; nothing here throws.
import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";

export interface EditorResult {
  content: string;
  isError: boolean;
  /** Worktree-relative (forward-slash) paths of files this call wrote. */
  changedFiles: string[];
}

/** Longest file view returned at once; beyond it the model is asked to use view_range. */
export const MAX_VIEW_CHARS = 60_000;
/** Most entries a directory view lists. */
export const MAX_LISTING_ENTRIES = 1_000;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);
const SNIPPET_CONTEXT = 4;

class EditorError extends Error {}

const fail = (message: string): EditorResult => ({ content: message, isError: true, changedFiles: [] });

interface Resolved {
  /** Real absolute path (existing components symlink-free). */
  real: string;
  /** Relative to the worktree, forward slashes; "" for the worktree itself. */
  rel: string;
  /** What the model called it, for messages. */
  shown: string;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

async function lstatOrNull(p: string) {
  try {
    return await fs.lstat(p);
  } catch {
    return null;
  }
}

/**
 * Resolves a path the model gave (relative to the worktree, or absolute inside it) to its real
 * location, following symlinks in every existing component, and refuses anything that lands outside.
 */
async function resolveInWorktree(worktree: string, rawPath: unknown): Promise<Resolved> {
  if (typeof rawPath !== "string" || rawPath.trim() === "")
    throw new EditorError("The `path` parameter is required.");
  if (rawPath.includes("\0")) throw new EditorError("The path contains a NUL byte.");
  const shown = rawPath;
  const root = await fs.realpath(worktree);
  const lexical = path.isAbsolute(rawPath) ? path.resolve(rawPath) : path.resolve(root, rawPath);
  // An absolute path may name the worktree through its unresolved spelling; compare both forms.
  const rootAsGiven = path.resolve(worktree);
  if (!isInside(root, lexical) && !isInside(rootAsGiven, lexical)) {
    throw new EditorError(
      `Refused: ${shown} is outside the repository. Use a path relative to the repository root (${root}).`,
    );
  }

  // Find the nearest ancestor that exists (lstat: a dangling symlink exists too), take its real path
  // and append what doesn't exist yet.
  let existing = lexical;
  const missing: string[] = [];
  let stat = await lstatOrNull(existing);
  while (!stat) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
    stat = await lstatOrNull(existing);
  }
  let realBase: string;
  try {
    realBase = await fs.realpath(existing);
  } catch {
    throw new EditorError(`Refused: ${shown} goes through a broken symbolic link.`);
  }
  const real = path.join(realBase, ...missing);
  if (!isInside(root, real)) {
    throw new EditorError(
      `Refused: ${shown} resolves to ${real}, outside the repository (through a symbolic link). The editor only works inside ${root}.`,
    );
  }
  return { real, rel: path.relative(root, real).split(path.sep).join("/"), shown };
}

function numbered(lines: string[], firstLineNumber: number): string {
  return lines.map((line, i) => `${String(firstLineNumber + i).padStart(6)}\t${line}`).join("\n");
}

function splitLines(content: string): string[] {
  if (content === "") return [];
  const lines = content.split("\n");
  if (content.endsWith("\n")) lines.pop();
  return lines;
}

async function readText(file: Resolved): Promise<string> {
  const stat = await fs.stat(file.real).catch(() => null);
  if (!stat) throw new EditorError(`${file.shown} does not exist.`);
  if (stat.isDirectory()) throw new EditorError(`${file.shown} is a directory, not a file.`);
  if (!stat.isFile()) throw new EditorError(`${file.shown} is not a regular file.`);
  const buffer = await fs.readFile(file.real);
  if (buffer.subarray(0, 8000).includes(0)) {
    throw new EditorError(
      `${file.shown} looks like a binary file (${buffer.length} bytes); the editor only handles text.`,
    );
  }
  return buffer.toString("utf8");
}

async function listDirectory(dir: Resolved): Promise<string> {
  const entries: string[] = [];
  let capped = false;
  async function walk(absolute: string, relative: string, depth: number) {
    let dirents: Dirent[];
    try {
      dirents = await fs.readdir(absolute, { withFileTypes: true });
    } catch {
      return;
    }
    dirents.sort((a, b) => a.name.localeCompare(b.name));
    for (const d of dirents) {
      if (entries.length >= MAX_LISTING_ENTRIES) {
        capped = true;
        return;
      }
      const rel = relative ? `${relative}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (SKIPPED_DIRS.has(d.name)) continue;
        entries.push(`${rel}/`);
        // Symlinked directories are listed but never entered.
        if (depth < 2) await walk(path.join(absolute, d.name), rel, depth + 1);
      } else {
        entries.push(d.isSymbolicLink() ? `${rel}@` : rel);
      }
    }
  }
  await walk(dir.real, "", 1);
  const header = `Files and directories up to 2 levels deep in ${dir.shown}, excluding .git and node_modules:`;
  const body = entries.length > 0 ? entries.join("\n") : "(empty directory)";
  const note = capped
    ? `\n[listing stopped at ${MAX_LISTING_ENTRIES} entries; view a subdirectory for more]`
    : "";
  return `${header}\n${body}${note}`;
}

function isIntegerPair(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n));
}

async function view(target: Resolved, viewRange: unknown): Promise<EditorResult> {
  const stat = await fs.stat(target.real).catch(() => null);
  if (!stat) return fail(`${target.shown} does not exist.`);
  if (stat.isDirectory()) {
    if (viewRange !== undefined && viewRange !== null) {
      return fail("view_range can't be used when viewing a directory.");
    }
    return { content: await listDirectory(target), isError: false, changedFiles: [] };
  }
  const lines = splitLines(await readText(target));
  let start = 1;
  let end = lines.length;
  if (viewRange !== undefined && viewRange !== null) {
    if (!isIntegerPair(viewRange)) return fail("view_range must be two integers: [start_line, end_line].");
    [start, end] = viewRange;
    if (end === -1) end = lines.length;
    if (start < 1 || start > Math.max(lines.length, 1)) {
      return fail(`Invalid view_range [${viewRange.join(", ")}]: the file has ${lines.length} lines.`);
    }
    if (end < start)
      return fail(`Invalid view_range [${viewRange.join(", ")}]: end_line is before start_line.`);
    end = Math.min(end, lines.length);
  }
  let text = numbered(lines.slice(start - 1, end), start);
  if (text.length > MAX_VIEW_CHARS) {
    const kept = text.slice(0, MAX_VIEW_CHARS);
    const lastShown = start + kept.split("\n").length - 2;
    text = `${kept.slice(0, kept.lastIndexOf("\n"))}\n[output cut at ${MAX_VIEW_CHARS} characters after line ${lastShown}; use view_range to see the rest]`;
  }
  const header =
    lines.length === 0
      ? `${target.shown} is empty.`
      : `Here's the content of ${target.shown} with line numbers:`;
  return { content: lines.length === 0 ? header : `${header}\n${text}`, isError: false, changedFiles: [] };
}

function snippet(content: string, firstChangedLine: number, changedLineCount: number): string {
  const lines = splitLines(content);
  const from = Math.max(1, firstChangedLine - SNIPPET_CONTEXT);
  const to = Math.min(lines.length, firstChangedLine + changedLineCount - 1 + SNIPPET_CONTEXT);
  return numbered(lines.slice(from - 1, to), from);
}

async function create(target: Resolved, fileText: unknown): Promise<EditorResult> {
  if (typeof fileText !== "string")
    return fail("create needs `file_text` (the whole content of the new file).");
  const stat = await fs.stat(target.real).catch(() => null);
  if (stat?.isDirectory()) return fail(`${target.shown} is a directory; give a file path.`);
  if (target.rel === "") return fail("Give a file path inside the repository.");
  await fs.mkdir(path.dirname(target.real), { recursive: true });
  await fs.writeFile(target.real, fileText, "utf8");
  const verb = stat ? "Overwrote" : "Created";
  return { content: `${verb} ${target.shown}.`, isError: false, changedFiles: [target.rel] };
}

function lineOf(content: string, index: number): number {
  let line = 1;
  for (let i = content.indexOf("\n"); i !== -1 && i < index; i = content.indexOf("\n", i + 1)) line++;
  return line;
}

async function strReplace(target: Resolved, oldStr: unknown, newStr: unknown): Promise<EditorResult> {
  if (typeof oldStr !== "string" || oldStr === "") {
    return fail("str_replace needs a non-empty `old_str` (the exact text to replace).");
  }
  if (newStr !== undefined && newStr !== null && typeof newStr !== "string")
    return fail("`new_str` must be a string.");
  const replacement = typeof newStr === "string" ? newStr : "";
  const content = await readText(target);
  const first = content.indexOf(oldStr);
  if (first === -1) {
    return fail(
      `No replacement was performed: old_str did not appear verbatim in ${target.shown}. View the file and copy the text exactly, including whitespace and indentation.`,
    );
  }
  const occurrences: number[] = [];
  for (let i = first; i !== -1; i = content.indexOf(oldStr, i + 1)) occurrences.push(lineOf(content, i));
  if (occurrences.length > 1) {
    return fail(
      `No replacement was performed: old_str occurs ${occurrences.length} times in ${target.shown} (at lines ${occurrences.join(", ")}). Include more surrounding lines so it occurs exactly once.`,
    );
  }
  const updated = content.slice(0, first) + replacement + content.slice(first + oldStr.length);
  await fs.writeFile(target.real, updated, "utf8");
  const startLine = lineOf(updated, first);
  const changedLines = Math.max(1, replacement.split("\n").length);
  return {
    content: `Edited ${target.shown}. The changed part now reads:\n${snippet(updated, startLine, changedLines)}`,
    isError: false,
    changedFiles: [target.rel],
  };
}

async function insert(target: Resolved, insertLine: unknown, text: unknown): Promise<EditorResult> {
  if (typeof text !== "string") return fail("insert needs `insert_text` (the text to insert).");
  if (typeof insertLine !== "number" || !Number.isInteger(insertLine)) {
    return fail(
      "insert needs `insert_line`: the line number after which to insert (0 for the top of the file).",
    );
  }
  const content = await readText(target);
  const eol = content.includes("\r\n") ? "\r\n" : "\n";
  const lines = content === "" ? [] : content.split(eol);
  const endsWithEol = content === "" || content.endsWith(eol);
  if (content.endsWith(eol)) lines.pop();
  if (insertLine < 0 || insertLine > lines.length) {
    return fail(
      `Invalid insert_line ${insertLine}: it must be between 0 and ${lines.length} (the file's line count).`,
    );
  }
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const newLines = body.split(/\r?\n/);
  lines.splice(insertLine, 0, ...newLines);
  const updated = lines.join(eol) + (endsWithEol ? eol : "");
  await fs.writeFile(target.real, updated, "utf8");
  return {
    content: `Inserted ${newLines.length} line${newLines.length === 1 ? "" : "s"} into ${target.shown} after line ${insertLine}:\n${snippet(updated.replaceAll("\r\n", "\n"), insertLine + 1, newLines.length)}`,
    isError: false,
    changedFiles: [target.rel],
  };
}

/** Runs one str_replace_based_edit_tool call in the worktree. `input` is the tool_use input as the model sent it. */
export async function runEditor(worktree: string, input: unknown): Promise<EditorResult> {
  try {
    if (typeof input !== "object" || input === null) return fail("The editor needs an input object.");
    const args = input as Record<string, unknown>;
    const command = args.command;
    if (command === "undo_edit") {
      return fail(
        "undo_edit is not available in this editor version; use str_replace to change the text back.",
      );
    }
    if (command !== "view" && command !== "create" && command !== "str_replace" && command !== "insert") {
      return fail(
        `Unknown command ${JSON.stringify(command)}. Use one of: view, create, str_replace, insert.`,
      );
    }
    const target = await resolveInWorktree(worktree, args.path);
    switch (command) {
      case "view":
        return await view(target, args.view_range);
      case "create":
        return await create(target, args.file_text);
      case "str_replace":
        return await strReplace(target, args.old_str, args.new_str);
      case "insert":
        // insert_text is the 20250728 name; older versions sent new_str.
        return await insert(target, args.insert_line, args.insert_text ?? args.new_str);
    }
  } catch (err) {
    if (err instanceof EditorError) return fail(err.message);
    const e = err as NodeJS.ErrnoException;
    return fail(`The editor failed: ${e.code ? `${e.code}: ` : ""}${e.message}`);
  }
}
