// File access inside a directory tree that never follows a symbolic link, even one swapped in by another
// process between a check and a use. Node has no openat(), so every step goes through the directory fd
// the previous step opened: `/proc/self/fd/<fd>/<name>` follows the magic link to exactly that open
// directory and then looks up one name in it, so O_NOFOLLOW (or mkdir/lstat/rename, which never follow
// a final component) acts on that name in that directory and nowhere else. Linux only.
//
// The calls are synchronous: on a local disk each is a syscall of microseconds, where the same call through
// fs/promises costs the event loop a thread-pool round trip (a `view` of a small file was 7 of them, ~0.4 ms
// of the engine's CPU per step). What can take long goes through the thread pool still: reading a large
// file and listing a directory.
import { randomBytes } from "node:crypto";
import fsSync, { constants, type Dirent, type Stats } from "node:fs";
import fs from "node:fs/promises";
import { promisify } from "node:util";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;

/** A refusal or problem the model should read; the message names paths only as the caller showed them. */
export class PathProblem extends Error {}

/** An open file or directory; the caller closes it. */
export class OpenFd {
  private closed = false;
  constructor(readonly fd: number) {}
  stat(): Stats {
    return fsSync.fstatSync(this.fd);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    fsSync.closeSync(this.fd);
  }
}

/** Files larger than this are read through the thread pool, so one read can't hold the event loop. */
const SYNC_READ_LIMIT = 1 << 20;
const readAsync = promisify(fsSync.read);

/**
 * An open regular file's bytes: one read of the size its fstat gave (plus one byte, to see it didn't grow),
 * where readFile would fstat again and read until a read returns nothing. A file that grew is read whole.
 */
export async function readAllBytes(file: OpenFd, size: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size + 1);
  const bytesRead =
    buffer.length <= SYNC_READ_LIMIT
      ? fsSync.readSync(file.fd, buffer, 0, buffer.length, 0)
      : (await readAsync(file.fd, buffer, 0, buffer.length, 0)).bytesRead;
  if (bytesRead <= size) return buffer.subarray(0, bytesRead);
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(SYNC_READ_LIMIT);
    const { bytesRead: got } = await readAsync(file.fd, chunk, 0, chunk.length, position);
    if (got === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, got));
    position += got;
  }
}

/** The path through which `name` inside the open directory `dir` is reached without leaving it. */
export function at(dir: OpenFd, name?: string): string {
  return name === undefined ? `/proc/self/fd/${dir.fd}` : `/proc/self/fd/${dir.fd}/${name}`;
}

let procChecked = false;

function openFd(file: string, flags: number, mode?: number): OpenFd {
  return new OpenFd(fsSync.openSync(file, flags, mode));
}

/** Opens a trusted directory (the worktree root; symlinks in the server's own path are fine). */
export function openRoot(root: string): OpenFd {
  if (!procChecked) {
    if (process.platform !== "linux") throw new PathProblem("The editor needs Linux (/proc/self/fd).");
    try {
      fsSync.accessSync("/proc/self/fd");
    } catch {
      throw new PathProblem("The editor needs /proc mounted to open files safely.");
    }
    procChecked = true;
  }
  return openFd(root, O_RDONLY | O_DIRECTORY);
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException)?.code ?? "");
}

function lstatAtOrNull(dir: OpenFd, name: string): Stats | null {
  try {
    return fsSync.lstatSync(at(dir, name));
  } catch {
    return null;
  }
}

/** The refusal for a symbolic link at `shown`, naming where it points. */
export function symlinkRefusal(dir: OpenFd, name: string, shown: string): PathProblem {
  let target = "?";
  try {
    target = fsSync.readlinkSync(at(dir, name));
  } catch {}
  return new PathProblem(
    `Refused: ${shown} is a symbolic link (to ${target}); the editor doesn't follow links. Edit the file it points to by its own path.`,
  );
}

/** Explains why `name` in `dir` could not be opened the way we wanted (ELOOP/ENOTDIR/EEXIST…). */
function explain(dir: OpenFd, name: string, shown: string, err: unknown): Error {
  const stat = lstatAtOrNull(dir, name);
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
export function openDirectory(root: OpenFd, parts: readonly string[], options: WalkOptions): OpenFd {
  // No parts: a handle of its own on the root. Otherwise the first step starts from the root itself.
  if (parts.length === 0) return openFd(at(root), O_RDONLY | O_DIRECTORY);
  let current: OpenFd | undefined;
  try {
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] as string;
      const shown = options.shown(i + 1);
      const from = current ?? root;
      let next: OpenFd | undefined;
      try {
        next = openFd(at(from, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      } catch (err) {
        if (!isErrno(err, "ENOENT")) throw explain(from, name, shown, err);
        if (!options.create) throw new PathProblem(`${options.shownWhole} does not exist.`);
        try {
          fsSync.mkdirSync(at(from, name), 0o777);
        } catch (mkdirErr) {
          if (!isErrno(mkdirErr, "EEXIST")) throw mkdirErr;
        }
        try {
          next = openFd(at(from, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        } catch (again) {
          throw explain(from, name, shown, again);
        }
      }
      current?.close();
      current = next;
    }
    return current as OpenFd;
  } catch (err) {
    try {
      current?.close();
    } catch {}
    throw err;
  }
}

/**
 * Opens `name` in `dir` for reading without following a link. Non-blocking, so a FIFO swapped in can't
 * hang the server; callers check the type with `handle.stat()`. Returns null if it doesn't exist.
 */
export function openEntry(dir: OpenFd, name: string, shown: string): OpenFd | null {
  try {
    return openFd(at(dir, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return null;
    throw explain(dir, name, shown, err);
  }
}

/** lstat of `name` in `dir` (never follows), or null if it doesn't exist. */
export function lstatEntry(dir: OpenFd, name: string): Stats | null {
  try {
    return fsSync.lstatSync(at(dir, name));
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
export function writeEntry(
  dir: OpenFd,
  name: string,
  content: string,
  shown: string,
  keepMode?: number,
): void {
  const temp = `.foreman-edit-${randomBytes(8).toString("hex")}.tmp`;
  let file: OpenFd;
  try {
    file = openFd(at(dir, temp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
  } catch (err) {
    // The directory we checked was removed (replaced) after we opened it.
    if (isErrno(err, "ENOENT")) {
      throw new PathProblem(`Refused: ${shown} changed while the editor was writing it; try again.`);
    }
    throw err;
  }
  try {
    try {
      fsSync.writeFileSync(file.fd, content, "utf8");
      // An edited file keeps its permissions (an executable script stays executable).
      if (keepMode !== undefined) fsSync.fchmodSync(file.fd, keepMode & 0o777);
    } finally {
      file.close();
    }
    fsSync.renameSync(at(dir, temp), at(dir, name));
  } catch (err) {
    try {
      fsSync.unlinkSync(at(dir, temp));
    } catch {}
    throw err;
  }
}

/** The entries of an open directory, read through its fd (in the thread pool: a directory may be huge). */
export function readEntries(dir: OpenFd): Promise<Dirent[]> {
  return fs.readdir(at(dir), { withFileTypes: true });
}

/** Opens the subdirectory `name` of `dir` without following a link, or null if it isn't one (any more). */
export function openSubdirectory(dir: OpenFd, name: string): OpenFd | null {
  try {
    return openFd(at(dir, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch {
    return null;
  }
}
