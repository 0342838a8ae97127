// Foreman's own clone of each repository (bare, in the data folder). Nobody's working tree is touched:
// run branches are pushed back to the source from here, by Foreman only (see run-repo.ts for a run's files).
import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/db";
import { withFileLock } from "./file-lock";
import { git } from "./runner";

// Git operations on one clone are serialised: concurrent fetches would fight over ref locks. In this
// process (or thread) by a queue per clone, and across processes and threads by a lock folder beside the
// clone, which only the head of each queue waits for.
const locks = new Map<string, Promise<unknown>>();
export async function withCloneLock<T>(clone: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(clone) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => withFileLock(`${clone}.lock`, fn));
  locks.set(clone, next);
  try {
    return await next;
  } finally {
    if (locks.get(clone) === next) locks.delete(clone);
  }
}

export function clonePath(repoId: string): string {
  return path.join(dataDir(), "repos", `${repoId}.git`);
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

// Per clone: the source its origin points at, and when the last fetch started (this process).
const origins = new Map<string, string>();
const fetchStartedAt = new Map<string, number>();

/**
 * Foreman's bare clone of the source, fetched up to date as of this call; returns its path.
 * Callers that queued behind a fetch which started after they asked share it: fifty runs starting
 * at once cost one fetch, not fifty.
 */
export async function syncClone(repo: { id: string; source: string }): Promise<string> {
  const dir = clonePath(repo.id);
  const askedAt = performance.now();
  return withCloneLock(dir, async () => {
    if (!(await exists(path.join(dir, "HEAD")))) {
      await fs.mkdir(path.dirname(dir), { recursive: true });
      await fs.rm(dir, { recursive: true, force: true });
      await git(["clone", "--quiet", "--bare", "--", repo.source, dir], { cwd: path.dirname(dir) });
      await git(["config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"], { gitDir: dir });
      origins.set(dir, repo.source);
      fetchStartedAt.delete(dir);
    }
    if (origins.get(dir) !== repo.source) {
      await git(["remote", "set-url", "origin", repo.source], { gitDir: dir });
      origins.set(dir, repo.source);
      fetchStartedAt.delete(dir);
    }
    if ((fetchStartedAt.get(dir) ?? -1) >= askedAt) return dir;
    fetchStartedAt.set(dir, performance.now());
    try {
      await git(["fetch", "--quiet", "--prune", "origin"], { gitDir: dir });
    } catch (error) {
      fetchStartedAt.delete(dir);
      throw error;
    }
    return dir;
  });
}

/** Pushes the run's branch back to the repository's source so people (and other workers) can fetch it. */
export async function pushBranch(repo: { id: string; source: string }, branch: string): Promise<void> {
  const clone = clonePath(repo.id);
  await withCloneLock(clone, () =>
    git(["push", "--quiet", "--force-with-lease", "origin", `refs/heads/${branch}:refs/heads/${branch}`], {
      gitDir: clone,
    }),
  );
}
