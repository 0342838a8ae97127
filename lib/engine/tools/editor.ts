// The agent's text editor tool (text_editor_20250728, named str_replace_based_edit_tool): view, create,
// str_replace and insert, confined to the run's worktree. Everything the agent does is hostile input, and
// a process in the repository can swap a directory for a symbolic link at any moment, so paths are never
// resolved and then reused: each component is opened through the directory fd before it with O_NOFOLLOW
// (./no-follow.ts), a link anywhere is refused, and reads and writes go through the fds that were checked.
// Paths inside .git are refused outright: a planted .git/config (core.fsmonitor, hooks) runs commands.
// Problems come back as `isError` results the model can read and act on; nothing here throws.
import type { Dirent, Stats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import {
  lstatEntry,
  type OpenFd,
  openDirectory,
  openEntry,
  openRoot,
  openSubdirectory,
  PathProblem,
  readAllBytes,
  readEntries,
  symlinkRefusal,
  writeEntry,
} from "./no-follow";

export interface EditorResult {
  content: string;
  isError: boolean;
  /** Worktree-relative (forward-slash) paths of files this call wrote. */
  changedFiles: string[];
}

export interface EditorOptions {
  /**
   * Where the model sees the repository (the sandbox mounts it at /workspace). Absolute paths under it
   * map to the same relative path in the worktree, and messages name paths under it, never the host path.
   * Defaults to the worktree path itself.
   */
  shownRoot?: string;
}

/** Longest file view returned at once; beyond it the model is asked to use view_range. */
export const MAX_VIEW_CHARS = 60_000;
/** Most entries a directory view lists. */
export const MAX_LISTING_ENTRIES = 1_000;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);
const SNIPPET_CONTEXT = 4;

class EditorError extends Error {}

const fail = (message: string): EditorResult => ({ content: message, isError: true, changedFiles: [] });

interface Target {
  /** Path components below the worktree root, lexically normalised; [] for the root itself. */
  parts: string[];
  /** Relative to the worktree, forward slashes; "" for the worktree itself. */
  rel: string;
  /** What the model called it, for messages. */
  shown: string;
  /** How to name the first `count` components in messages (in the model's own spelling). */
  shownPrefix: (count: number) => string;
}

function relativeInside(root: string, candidate: string): string | null {
  const rel = path.posix.relative(root, candidate);
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith("../") || path.posix.isAbsolute(rel)) return null;
  return rel;
}

/**
 * Turns the path the model gave (relative to the repository, or absolute under `shownRoot` or the
 * worktree's host path) into components below the root, lexically. Nothing on disk is consulted here;
 * the components are opened one by one, without following links, when the command runs.
 */
async function parseTarget(worktree: string, rawPath: unknown, shownRoot: string): Promise<Target> {
  if (typeof rawPath !== "string" || rawPath.trim() === "")
    throw new EditorError("The `path` parameter is required.");
  if (rawPath.includes("\0")) throw new EditorError("The path contains a NUL byte.");
  const outside = () =>
    new EditorError(
      `Refused: ${rawPath} is outside the repository. Use a path relative to the repository root (${shownRoot}).`,
    );
  let rel: string | null;
  let shown = rawPath;
  let base: string | null = null; // the absolute prefix messages use, if the model gave an absolute path
  if (path.posix.isAbsolute(rawPath)) {
    const absolute = path.posix.resolve(rawPath);
    rel = relativeInside(shownRoot, absolute);
    if (rel === null) {
      // The worktree's own host path, as given or fully resolved, keeps working.
      const hostRoots = [path.resolve(worktree), await fs.realpath(worktree).catch(() => worktree)];
      for (const hostRoot of hostRoots) {
        rel ??= relativeInside(hostRoot, absolute);
      }
      if (rel === null) throw outside();
      shown = rel === "" ? shownRoot : path.posix.join(shownRoot, rel);
    }
    base = shownRoot;
  } else {
    rel = path.posix.normalize(rawPath);
    if (rel === "." || rel === "./") rel = "";
  }
  const parts = rel.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw outside();
  if (parts.some((p) => p.toLowerCase() === ".git")) {
    throw new EditorError(
      `Refused: ${shown} is inside .git, git's own data; the editor doesn't read or write it (git config and hooks there run commands). Use git commands for repository state.`,
    );
  }
  const shownPrefix = (count: number) => {
    const joined = parts.slice(0, count).join("/");
    return base === null ? joined : path.posix.join(base, joined);
  };
  return { parts, rel: parts.join("/"), shown, shownPrefix };
}

/**
 * Opens the worktree root, then the directory that holds the target (creating missing directories when
 * `create`), without following links, and runs `fn` with it. `name` is the last component, or null for
 * the root itself. Every fd is closed afterwards.
 */
async function inParent<T>(
  worktree: string,
  target: Target,
  create: boolean,
  fn: (dir: OpenFd, name: string | null) => Promise<T>,
): Promise<T> {
  const root = openRoot(worktree);
  try {
    const dirParts = target.parts.slice(0, -1);
    const dir = openDirectory(root, dirParts, {
      create,
      shown: target.shownPrefix,
      shownWhole: target.shown,
    });
    try {
      return await fn(dir, target.parts.length === 0 ? null : (target.parts.at(-1) as string));
    } finally {
      dir.close();
    }
  } finally {
    root.close();
  }
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

/** Reads an open regular file's text; `stat` is its fstat. */
async function readText(handle: OpenFd, stat: Stats, shown: string): Promise<string> {
  if (stat.isDirectory()) throw new EditorError(`${shown} is a directory, not a file.`);
  if (!stat.isFile()) throw new EditorError(`${shown} is not a regular file.`);
  const buffer = await readAllBytes(handle, stat.size);
  if (buffer.subarray(0, 8000).includes(0)) {
    throw new EditorError(
      `${shown} looks like a binary file (${buffer.length} bytes); the editor only handles text.`,
    );
  }
  return buffer.toString("utf8");
}

/** Opens the target file (never through a link) and reads it with its fstat; throws if it's missing. */
async function openText(
  dir: OpenFd,
  name: string | null,
  target: Target,
): Promise<{ content: string; stat: Stats; name: string }> {
  if (name === null) throw new EditorError(`${target.shown} is a directory, not a file.`);
  const handle = openEntry(dir, name, target.shown);
  if (!handle) throw new EditorError(`${target.shown} does not exist.`);
  try {
    const stat = handle.stat();
    return { content: await readText(handle, stat, target.shown), stat, name };
  } finally {
    handle.close();
  }
}

/** Lists an open directory two levels deep, entering subdirectories only through their fds, never links. */
async function listDirectory(dir: OpenFd, shown: string): Promise<string> {
  const entries: string[] = [];
  let capped = false;
  async function walk(handle: OpenFd, relative: string, depth: number) {
    let dirents: Dirent[];
    try {
      dirents = await readEntries(handle);
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
        if (SKIPPED_DIRS.has(d.name.toLowerCase())) continue;
        entries.push(`${rel}/`);
        if (depth >= 2) continue;
        // Opened with O_NOFOLLOW: a directory swapped for a link since readdir is skipped, not entered.
        const sub = openSubdirectory(handle, d.name);
        if (!sub) continue;
        try {
          await walk(sub, rel, depth + 1);
        } finally {
          sub.close();
        }
      } else {
        entries.push(d.isSymbolicLink() ? `${rel}@` : rel);
      }
    }
  }
  await walk(dir, "", 1);
  const header = `Files and directories up to 2 levels deep in ${shown}, excluding .git and node_modules:`;
  const body = entries.length > 0 ? entries.join("\n") : "(empty directory)";
  const note = capped
    ? `\n[listing stopped at ${MAX_LISTING_ENTRIES} entries; view a subdirectory for more]`
    : "";
  return `${header}\n${body}${note}`;
}

function isIntegerPair(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n));
}

async function view(worktree: string, target: Target, viewRange: unknown): Promise<EditorResult> {
  return inParent(worktree, target, false, async (dir, name) => {
    const listing = async (handle: OpenFd): Promise<EditorResult> => {
      if (viewRange !== undefined && viewRange !== null) {
        return fail("view_range can't be used when viewing a directory.");
      }
      return { content: await listDirectory(handle, target.shown), isError: false, changedFiles: [] };
    };
    if (name === null) return listing(dir);
    const handle = openEntry(dir, name, target.shown);
    if (!handle) return fail(`${target.shown} does not exist.`);
    try {
      const stat = handle.stat();
      if (stat.isDirectory()) return await listing(handle);
      return viewText(target, await readText(handle, stat, target.shown), viewRange);
    } finally {
      handle.close();
    }
  });
}

function viewText(target: Target, content: string, viewRange: unknown): EditorResult {
  const lines = splitLines(content);
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

async function create(worktree: string, target: Target, fileText: unknown): Promise<EditorResult> {
  if (typeof fileText !== "string")
    return fail("create needs `file_text` (the whole content of the new file).");
  if (target.rel === "") return fail(`${target.shown} is a directory; give a file path.`);
  return inParent(worktree, target, true, async (dir, name) => {
    const entry = name as string; // not the root: checked above
    const existing = lstatEntry(dir, entry);
    if (existing?.isSymbolicLink()) throw symlinkRefusal(dir, entry, target.shown);
    if (existing?.isDirectory()) return fail(`${target.shown} is a directory; give a file path.`);
    if (existing && !existing.isFile()) return fail(`${target.shown} is not a regular file.`);
    writeEntry(dir, entry, fileText, target.shown, existing?.mode);
    const verb = existing ? "Overwrote" : "Created";
    return { content: `${verb} ${target.shown}.`, isError: false, changedFiles: [target.rel] };
  });
}

function lineOf(content: string, index: number): number {
  let line = 1;
  for (let i = content.indexOf("\n"); i !== -1 && i < index; i = content.indexOf("\n", i + 1)) line++;
  return line;
}

async function strReplace(
  worktree: string,
  target: Target,
  oldStr: unknown,
  newStr: unknown,
): Promise<EditorResult> {
  if (typeof oldStr !== "string" || oldStr === "") {
    return fail("str_replace needs a non-empty `old_str` (the exact text to replace).");
  }
  if (newStr !== undefined && newStr !== null && typeof newStr !== "string")
    return fail("`new_str` must be a string.");
  const replacement = typeof newStr === "string" ? newStr : "";
  return inParent(worktree, target, false, async (dir, entry) => {
    const { content, stat, name } = await openText(dir, entry, target);
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
    writeEntry(dir, name, updated, target.shown, stat.mode);
    const startLine = lineOf(updated, first);
    const changedLines = Math.max(1, replacement.split("\n").length);
    return {
      content: `Edited ${target.shown}. The changed part now reads:\n${snippet(updated, startLine, changedLines)}`,
      isError: false,
      changedFiles: [target.rel],
    };
  });
}

async function insert(
  worktree: string,
  target: Target,
  insertLine: unknown,
  text: unknown,
): Promise<EditorResult> {
  if (typeof text !== "string") return fail("insert needs `insert_text` (the text to insert).");
  if (typeof insertLine !== "number" || !Number.isInteger(insertLine)) {
    return fail(
      "insert needs `insert_line`: the line number after which to insert (0 for the top of the file).",
    );
  }
  return inParent(worktree, target, false, async (dir, entry) => {
    const { content, stat, name } = await openText(dir, entry, target);
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
    writeEntry(dir, name, updated, target.shown, stat.mode);
    return {
      content: `Inserted ${newLines.length} line${newLines.length === 1 ? "" : "s"} into ${target.shown} after line ${insertLine}:\n${snippet(updated.replaceAll("\r\n", "\n"), insertLine + 1, newLines.length)}`,
      isError: false,
      changedFiles: [target.rel],
    };
  });
}

/** Runs one str_replace_based_edit_tool call in the worktree. `input` is the tool_use input as the model sent it. */
export async function runEditor(
  worktree: string,
  input: unknown,
  options: EditorOptions = {},
): Promise<EditorResult> {
  let target: Target | undefined;
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
    const shownRoot = path.posix.resolve(options.shownRoot ?? path.resolve(worktree));
    target = await parseTarget(worktree, args.path, shownRoot);
    switch (command) {
      case "view":
        return await view(worktree, target, args.view_range);
      case "create":
        return await create(worktree, target, args.file_text);
      case "str_replace":
        return await strReplace(worktree, target, args.old_str, args.new_str);
      case "insert":
        // insert_text is the 20250728 name; older versions sent new_str.
        return await insert(worktree, target, args.insert_line, args.insert_text ?? args.new_str);
    }
  } catch (err) {
    if (err instanceof EditorError || err instanceof PathProblem) return fail(err.message);
    // Node's messages name the /proc/self/fd path it used; say which path the model gave instead.
    const e = err as NodeJS.ErrnoException;
    const where = target ? ` on ${target.shown}` : "";
    return fail(
      e.code
        ? `The editor failed${where}: ${e.code} (${e.syscall ?? "io"}).`
        : `The editor failed${where}: ${e.message}`,
    );
  }
}
