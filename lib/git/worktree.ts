// Foreman's own clone of each repository, and one worktree per run on its own branch.
// Nobody's working tree is touched: run branches are pushed back to the source for people to check out.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/db";

export interface GitResult {
  stdout: string;
  stderr: string;
}

const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", LC_ALL: "C" };

export function git(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
) {
  return execGit("git", args, `git ${args[0]}`, options);
}

/**
 * Several git commands in one `sh -c` (e.g. "git add --all && git write-tree"): one process spawned by
 * the server instead of several, which matters because forking a large Node process costs more than git.
 */
export function gitScript(script: string, options: { cwd: string; timeoutMs?: number }) {
  return execGit("sh", ["-c", script], script, options);
}

function execGit(
  file: string,
  args: string[],
  label: string,
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
) {
  return new Promise<GitResult>((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...GIT_ENV, ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = String(stderr || error.message).trim();
          reject(new Error(`${label} failed: ${detail}`));
        } else resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

// Git operations on one clone are serialised in-process: concurrent fetches would fight over ref locks.
const locks = new Map<string, Promise<unknown>>();
export async function withCloneLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(fn);
  locks.set(key, next);
  try {
    return await next;
  } finally {
    if (locks.get(key) === next) locks.delete(key);
  }
}

export function clonePath(repoId: string): string {
  return path.join(dataDir(), "repos", `${repoId}.git`);
}

export function worktreePath(runId: string): string {
  return path.join(dataDir(), "worktrees", runId);
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
      await git(["config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"], { cwd: dir });
      origins.set(dir, repo.source);
      fetchStartedAt.delete(dir);
    }
    if (origins.get(dir) !== repo.source) {
      await git(["remote", "set-url", "origin", repo.source], { cwd: dir });
      origins.set(dir, repo.source);
      fetchStartedAt.delete(dir);
    }
    if ((fetchStartedAt.get(dir) ?? -1) >= askedAt) return dir;
    fetchStartedAt.set(dir, performance.now());
    try {
      await git(["fetch", "--quiet", "--prune", "origin"], { cwd: dir });
    } catch (error) {
      fetchStartedAt.delete(dir);
      throw error;
    }
    return dir;
  });
}

/** The commit each existing ref points at (missing refs are left out). */
async function refShas(cwd: string, refs: string[]): Promise<Map<string, string>> {
  const { stdout } = await git(["for-each-ref", "--format=%(refname) %(objectname)", ...refs], { cwd });
  const found = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [ref, sha] = line.trim().split(" ");
    if (ref && sha && refs.includes(ref)) found.set(ref, sha);
  }
  return found;
}

/**
 * A worktree for the run on `branch`: continues the branch where the source (or this clone) has it,
 * otherwise starts it from the base branch. Reusing an existing worktree makes resuming idempotent.
 */
export async function prepareWorktree(options: {
  repo: { id: string; source: string };
  runId: string;
  branch: string;
  baseBranch: string;
}): Promise<{ path: string; baseSha: string }> {
  const clone = await syncClone(options.repo);
  const dir = worktreePath(options.runId);
  return withCloneLock(clone, async () => {
    const base = `refs/remotes/origin/${options.baseBranch}`;
    const remoteBranch = `refs/remotes/origin/${options.branch}`;
    const localBranch = `refs/heads/${options.branch}`;
    // The three refs in one git process: each spawn costs the worker more than the lookup itself.
    const refs = await refShas(clone, [base, remoteBranch, localBranch]);
    const baseSha = refs.get(base);
    if (!baseSha) {
      throw new Error(`The base branch '${options.baseBranch}' no longer exists in the repository.`);
    }
    if (await exists(path.join(dir, ".git"))) return { path: dir, baseSha };
    await fs.mkdir(path.dirname(dir), { recursive: true });
    const start = refs.has(remoteBranch) ? remoteBranch : refs.has(localBranch) ? localBranch : base;
    const add = ["worktree", "add", "--quiet", "-B", options.branch, dir, start];
    await git(add, { cwd: clone }).catch(async () => {
      // A worktree of a crashed run may still be registered at this path: forget it and try again.
      await git(["worktree", "prune"], { cwd: clone });
      await git(add, { cwd: clone });
    });
    return { path: dir, baseSha };
  });
}

/** Commits everything the step changed; null when nothing changed. */
export async function checkpointCommit(
  worktree: string,
  options: { message: string; authorName: string; authorEmail: string },
): Promise<{ sha: string; files: string[] } | null> {
  await git(["add", "--all"], { cwd: worktree });
  const status = await git(["diff", "--cached", "--name-only", "-z"], { cwd: worktree });
  const files = status.stdout.split("\0").filter(Boolean);
  if (files.length === 0) return null;
  const identity = {
    GIT_AUTHOR_NAME: options.authorName,
    GIT_AUTHOR_EMAIL: options.authorEmail,
    GIT_COMMITTER_NAME: "Foreman",
    GIT_COMMITTER_EMAIL: "foreman@localhost",
  };
  await git(["commit", "--quiet", "--no-verify", "-m", options.message], { cwd: worktree, env: identity });
  const sha = (await git(["rev-parse", "HEAD"], { cwd: worktree })).stdout.trim();
  return { sha, files };
}

/** Pushes the run's branch back to the repository's source so people (and other workers) can fetch it. */
export async function pushBranch(repo: { id: string; source: string }, branch: string): Promise<void> {
  const clone = clonePath(repo.id);
  await withCloneLock(clone, () =>
    git(["push", "--quiet", "--force-with-lease", "origin", `refs/heads/${branch}:refs/heads/${branch}`], {
      cwd: clone,
    }),
  );
}

/** Removes the run's worktree; the branch stays until the task is merged or discarded. */
export async function removeWorktree(repo: { id: string }, runId: string): Promise<void> {
  const clone = clonePath(repo.id);
  const dir = worktreePath(runId);
  await withCloneLock(clone, async () => {
    const removed = await git(["worktree", "remove", "--force", dir], { cwd: clone }).then(
      () => true,
      () => false,
    );
    await fs.rm(dir, { recursive: true, force: true });
    if (!removed) await git(["worktree", "prune"], { cwd: clone }).catch(() => {});
  });
}
