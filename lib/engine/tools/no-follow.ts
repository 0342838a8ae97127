// File access inside a directory tree that never follows a symbolic link, even one swapped in by another
// process between a check and a use. Node has no openat(), so every step goes through the directory fd
// the previous step opened: `/proc/self/fd/<fd>/<name>` follows the magic link to exactly that open
// directory and then looks up one name in it, so O_NOFOLLOW (or mkdir/lstat/rename, which never follow
// a final component) acts on that name in that directory and nowhere else. Linux only.
import { randomBytes } from "node:crypto";
import { constants, type Dirent, type Stats } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;

/** A refusal or problem the model should read; the message names paths only as the caller showed them. */
export class PathProblem extends Error {}

/** The path through which `name` inside the open directory `dir` is reached without leaving it. */
export function at(dir: FileHandle, name?: string): string {
  return name === undefined ? `/proc/self/fd/${dir.fd}` : `/proc/self/fd/${dir.fd}/${name}`;
}

let procChecked = false;

/** Opens a trusted directory (the worktree root; symlinks in the server's own path are fine). */
export async function openRoot(root: string): Promise<FileHandle> {
  if (!procChecked) {
    if (process.platform !== "linux") throw new PathProblem("The editor needs Linux (/proc/self/fd).");
    await fs.access("/proc/self/fd").catch(() => {
      throw new PathProblem("The editor needs /proc mounted to open files safely.");
    });
    procChecked = true;
  }
  return fs.open(root, O_RDONLY | O_DIRECTORY);
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException)?.code ?? "");
}

async function lstatAtOrNull(dir: FileHandle, name: string): Promise<Stats | null> {
  try {
    return await fs.lstat(at(dir, name));
  } catch {
    return null;
  }
}

/** The refusal for a symbolic link at `shown`, naming where it points. */
export async function symlinkRefusal(dir: FileHandle, name: string, shown: string): Promise<PathProblem> {
  const target = await fs.readlink(at(dir, name)).catch(() => "?");
  return new PathProblem(
    `Refused: ${shown} is a symbolic link (to ${target}); the editor doesn't follow links. Edit the file it points to by its own path.`,
  );
}

/** Explains why `name` in `dir` could not be opened the way we wanted (ELOOP/ENOTDIR/EEXIST…). */
async function explain(dir: FileHandle, name: string, shown: string, err: unknown): Promise<Error> {
  const stat = await lstatAtOrNull(dir, name);
  if (stat?.isSymbolicLink()) return symlinkRefusal(dir, name, shown);
  if (isErrno(err, "ENOTDIR") && stat && !stat.isDirectory()) {
    return new PathProblem(`${shown} is not a directory.`);
  }
  if (isErrno(err, "ELOOP", "ENOTDIR", "ENOENT")) {
    // It was a link, a non-directory or there a moment ago and isn't now: someone is swapping it.
    return new PathProblem(`Refused: ${shown} changed while the editor was opening it; try again.`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

export interface WalkOptions {
  /** Create missing directories (for `create`). */
  create: boolean;
  /** How to name the first `count` components in messages. */
  shown: (count: number) => string;
  /** The whole path as shown, for "does not exist". */
  shownWhole: string;
}

/**
 * Opens, one component at a time and without following links, the directory `parts` names under `root`.
 * Returns a new handle the caller must close; `root` stays open and owned by the caller.
 */
export async function openDirectory(
  root: FileHandle,
  parts: readonly string[],
  options: WalkOptions,
): Promise<FileHandle> {
  // No parts: a handle of its own on the root. Otherwise the first step starts from the root itself.
  if (parts.length === 0) return fs.open(at(root), O_RDONLY | O_DIRECTORY);
  let current: FileHandle | undefined;
  try {
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] as string;
      const shown = options.shown(i + 1);
      const from = current ?? root;
      let next: FileHandle | undefined;
      try {
        next = await fs.open(at(from, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      } catch (err) {
        if (!isErrno(err, "ENOENT")) throw await explain(from, name, shown, err);
        if (!options.create) throw new PathProblem(`${options.shownWhole} does not exist.`);
        try {
          await fs.mkdir(at(from, name), 0o777);
        } catch (mkdirErr) {
          if (!isErrno(mkdirErr, "EEXIST")) throw mkdirErr;
        }
        try {
          next = await fs.open(at(from, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        } catch (again) {
          throw await explain(from, name, shown, again);
        }
      }
      await current?.close();
      current = next;
    }
    return current as FileHandle;
  } catch (err) {
    await current?.close().catch(() => {});
    throw err;
  }
}

/**
 * Opens `name` in `dir` for reading without following a link. Non-blocking, so a FIFO swapped in can't
 * hang the server; callers check the type with `handle.stat()`. Returns null if it doesn't exist.
 */
export async function openEntry(dir: FileHandle, name: string, shown: string): Promise<FileHandle | null> {
  try {
    return await fs.open(at(dir, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return null;
    throw await explain(dir, name, shown, err);
  }
}

/** lstat of `name` in `dir` (never follows), or null if it doesn't exist. */
export async function lstatEntry(dir: FileHandle, name: string): Promise<Stats | null> {
  try {
    return await fs.lstat(at(dir, name));
  } catch (err) {
    if (isErrno(err, "ENOENT")) return null;
    throw err;
  }
}

/**
 * Replaces `name` in `dir` with `content`: written to a fresh temporary file in the same directory
 * (O_EXCL|O_NOFOLLOW), then renamed over the name. rename() replaces a link rather than following it,
 * and a new inode means a hard link can't carry the write elsewhere either.
 */
export async function writeEntry(
  dir: FileHandle,
  name: string,
  content: string,
  shown: string,
  keepMode?: number,
): Promise<void> {
  const temp = `.foreman-edit-${randomBytes(8).toString("hex")}.tmp`;
  let handle: FileHandle;
  try {
    handle = await fs.open(at(dir, temp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
  } catch (err) {
    // The directory we checked was removed (replaced) after we opened it.
    if (isErrno(err, "ENOENT")) {
      throw new PathProblem(`Refused: ${shown} changed while the editor was writing it; try again.`);
    }
    throw err;
  }
  try {
    try {
      await handle.writeFile(content, "utf8");
      // An edited file keeps its permissions (an executable script stays executable).
      if (keepMode !== undefined) await handle.chmod(keepMode & 0o777);
    } finally {
      await handle.close();
    }
    await fs.rename(at(dir, temp), at(dir, name));
  } catch (err) {
    await fs.unlink(at(dir, temp)).catch(() => {});
    throw err;
  }
}

/** The entries of an open directory, read through its fd. */
export function readEntries(dir: FileHandle): Promise<Dirent[]> {
  return fs.readdir(at(dir), { withFileTypes: true });
}

/** Opens the subdirectory `name` of `dir` without following a link, or null if it isn't one (any more). */
export async function openSubdirectory(dir: FileHandle, name: string): Promise<FileHandle | null> {
  try {
    return await fs.open(at(dir, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch {
    return null;
  }
}
