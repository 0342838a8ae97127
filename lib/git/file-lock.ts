// Mutual exclusion across processes and threads for one clone. The web server and the worker process (or,
// on PGlite, the engine's thread) fetch into and write refs of the same bare clone; git's own ref locks make
// the second of two concurrent fetches fail, and two first clones of a repository would delete each other's
// folder. A directory beside the clone is the lock (mkdir is atomic). Its holder touches it while it holds
// it, so a lock whose holder died (process killed, thread crashed) is taken over once it has gone STALE_MS
// without a touch, or at once when the process named in it no longer exists. Only node built-ins here, so
// a test can drive it from a second process.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

const TOUCH_MS = 2_000;
/** Untouched this long, the holder is gone: a live holder touches it every TOUCH_MS, even mid-fetch. */
export const STALE_MS = 20_000;
const OWNER = "owner";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Runs `fn` holding the lock at `lockPath` (a directory that must not otherwise exist). */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const token = await acquire(lockPath);
  const touch = setInterval(() => {
    const now = new Date();
    fs.utimes(lockPath, now, now).catch(() => {});
  }, TOUCH_MS);
  touch.unref();
  try {
    return await fn();
  } finally {
    clearInterval(touch);
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string): Promise<string> {
  const token = `${process.pid}:${randomUUID()}`;
  let wait = 5;
  for (;;) {
    try {
      await fs.mkdir(lockPath);
    } catch (error) {
      if (errno(error) === "ENOENT") {
        await fs.mkdir(path.dirname(lockPath), { recursive: true });
        continue;
      }
      if (errno(error) !== "EEXIST") throw error;
      if (await isStale(lockPath)) {
        await takeOver(lockPath);
        continue;
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 100);
      continue;
    }
    try {
      await fs.writeFile(path.join(lockPath, OWNER), token);
      return token;
    } catch (error) {
      await fs.rm(lockPath, { recursive: true, force: true });
      throw error;
    }
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  const stat = await fs.stat(lockPath).catch(() => null);
  if (stat === null) return false;
  if (Date.now() - stat.mtimeMs > STALE_MS) return true;
  // Sooner when the holder was another process that no longer exists (a restart after a kill).
  const owner = await fs.readFile(path.join(lockPath, OWNER), "utf8").catch(() => "");
  const pid = Number(owner.split(":")[0]);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processExists(pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === "EPERM";
  }
}

/**
 * Removes a stale lock. Two waiters may both find it stale: under a second lock, the one that comes second
 * finds it gone or fresh (the first waiter's own) and leaves it alone.
 */
async function takeOver(lockPath: string) {
  const guard = `${lockPath}.takeover`;
  try {
    await fs.mkdir(guard);
  } catch (error) {
    if (errno(error) !== "EEXIST") throw error;
    // A waiter that died mid-takeover leaves its guard: it is stale in turn.
    const stat = await fs.stat(guard).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > STALE_MS) await fs.rm(guard, { recursive: true, force: true });
    await sleep(10);
    return;
  }
  try {
    if (await isStale(lockPath)) {
      console.warn(`[git] taking over ${lockPath}: its holder stopped`);
      await fs.rm(lockPath, { recursive: true, force: true });
    }
  } finally {
    await fs.rm(guard, { recursive: true, force: true });
  }
}

/** Removes the lock only if it is still ours (a holder frozen past STALE_MS may have lost it). */
async function release(lockPath: string, token: string) {
  const owner = await fs.readFile(path.join(lockPath, OWNER), "utf8").catch(() => "");
  if (owner === token) await fs.rm(lockPath, { recursive: true, force: true });
  else console.warn(`[git] ${lockPath} was taken over while held; left to its new holder`);
}
