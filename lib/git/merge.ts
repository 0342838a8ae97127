// Merging a run branch into its base with the real git CLI, in a throwaway worktree of Foreman's clone:
// the base branch in the source changes only by a successful push of the finished merge, so a conflict,
// a failed verification or a refused push leaves it exactly as it was.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/db";
import { resolveBranch } from "./diff";
import { clonePath, syncClone, withCloneLock } from "./worktree";

export type MergeStrategy = "merge" | "squash";

export type MergeOutcome =
  /** `head`: the branch's commit that was merged (kept for provenance after the branch is deleted). */
  | { status: "merged"; sha: string; head: string }
  | { status: "conflict"; files: string[] }
  | { status: "verification_failed"; exitCode: number | null; output: string };

/** The merge can't happen for a reason the person can act on; nothing was changed. */
export class MergeRefusedError extends Error {
  constructor(
    message: string,
    /** dirty_worktree: the source has the base checked out with uncommitted changes. */
    readonly reason: "dirty_worktree" | "refused" = "refused",
  ) {
    super(message);
    this.name = "MergeRefusedError";
  }
}

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

/** git without throwing: merges report conflicts through their exit code. */
export function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", LC_ALL: "C", ...env },
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

async function must(args: string[], cwd: string, env?: Record<string, string>): Promise<string> {
  const result = await run(args, cwd, env);
  if (result.code !== 0) throw new Error(`git ${args[0]} failed: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** Local paths and file:// URLs: receive-pack runs on this machine, so updateInstead can be asked for. */
function isLocalSource(source: string): boolean {
  return source.startsWith("file://") || !/^[a-z][a-z0-9+.-]*:\/\/|^[^/]*:/i.test(source);
}

function pushRefusal(stderr: string, baseBranch: string, source: string): MergeRefusedError {
  if (/unstaged changes|not clean|Could not update working tree|would be overwritten/i.test(stderr)) {
    return new MergeRefusedError(
      `The repository at ${source} has '${baseBranch}' checked out with uncommitted changes. Commit or stash them there, then merge again. Nothing was changed.`,
      "dirty_worktree",
    );
  }
  if (/non-fast-forward|fetch first|stale info/i.test(stderr)) {
    return new MergeRefusedError(
      `'${baseBranch}' moved in the repository while merging. Merge again. Nothing was changed.`,
    );
  }
  return new MergeRefusedError(
    `The repository refused the merged '${baseBranch}': ${stderr.trim().split("\n").slice(-3).join(" ")}`,
  );
}

export interface MergeOptions {
  repo: { id: string; source: string };
  baseBranch: string;
  branch: string;
  strategy: MergeStrategy;
  message: string;
  author: { name: string; email: string };
  /** Runs on the merged tree before anything is pushed; a failure stops the merge. */
  verify?: (dir: string) => Promise<{ exitCode: number | null; output: string }>;
}

export async function mergeBranch(options: MergeOptions): Promise<MergeOutcome> {
  const clone = await syncClone(options.repo);
  return withCloneLock(clone, async () => {
    const base = await resolveBranch(clone, options.baseBranch);
    if (!base) throw new MergeRefusedError(`The base branch '${options.baseBranch}' no longer exists.`);
    const head = await resolveBranch(clone, options.branch);
    if (!head) throw new MergeRefusedError(`The branch '${options.branch}' no longer exists.`);
    if ((await run(["merge-base", "--is-ancestor", head, base], clone)).code === 0) {
      throw new MergeRefusedError(`'${options.baseBranch}' already holds every change of this branch.`);
    }

    const dir = path.join(dataDir(), "merges", randomUUID());
    await fs.mkdir(path.dirname(dir), { recursive: true });
    await must(["worktree", "add", "--quiet", "--detach", dir, base], clone);
    const identity = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: "Foreman",
      GIT_COMMITTER_EMAIL: "foreman@localhost",
    };
    try {
      const merged =
        options.strategy === "squash"
          ? await run(["merge", "--squash", head], dir, identity)
          : await run(["merge", "--no-ff", "--no-edit", "-m", options.message, head], dir, identity);
      if (merged.code !== 0) {
        const unmerged = await run(["diff", "--name-only", "--diff-filter=U", "-z"], dir);
        const files = unmerged.stdout.split("\0").filter(Boolean);
        if (files.length > 0) return { status: "conflict", files };
        throw new Error(`git merge failed: ${(merged.stderr || merged.stdout).trim()}`);
      }
      if (options.strategy === "squash") {
        await must(["commit", "--quiet", "--no-verify", "-m", options.message], dir, identity);
      }
      const sha = (await must(["rev-parse", "HEAD"], dir)).trim();

      if (options.verify) {
        const check = await options.verify(dir);
        if (check.exitCode !== 0) return { status: "verification_failed", ...check };
      }

      const push = ["push", "--quiet", "--porcelain"];
      if (isLocalSource(options.repo.source)) {
        // Only for this push: a local repository with the base checked out takes it when its tree is clean.
        push.push("--receive-pack=git -c receive.denyCurrentBranch=updateInstead receive-pack");
      }
      const pushed = await run([...push, "origin", `${sha}:refs/heads/${options.baseBranch}`], dir);
      if (pushed.code !== 0) {
        throw pushRefusal(pushed.stderr + pushed.stdout, options.baseBranch, options.repo.source);
      }
      await run(["update-ref", `refs/remotes/origin/${options.baseBranch}`, sha], clone);
      // The run branch is deleted next; this ref keeps its commits in the clone, so `git blame` can still
      // tell which step wrote each line after a squash merge.
      await run(["update-ref", `refs/foreman/merged/${options.branch}`, head], clone);
      return { status: "merged", sha, head };
    } finally {
      await run(["worktree", "remove", "--force", dir], clone);
      await fs.rm(dir, { recursive: true, force: true });
      await run(["worktree", "prune"], clone);
    }
  });
}

/** Deletes a run branch in the source and in the clone; false when the source kept it (e.g. checked out). */
export async function deleteBranch(repo: { id: string; source: string }, branch: string): Promise<boolean> {
  const clone = clonePath(repo.id);
  await syncClone(repo).catch(() => {});
  return withCloneLock(clone, async () => {
    let deleted = true;
    const remote = await run(["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${branch}`], clone);
    if (remote.code === 0) {
      const pushed = await run(["push", "--quiet", "origin", "--delete", branch], clone);
      if (pushed.code !== 0) deleted = false;
      else await run(["update-ref", "-d", `refs/remotes/origin/${branch}`], clone);
    }
    await run(["worktree", "prune"], clone);
    await run(["branch", "-D", branch], clone);
    return deleted;
  });
}
