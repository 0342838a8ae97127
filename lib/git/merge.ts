// Merging a run branch into its base with the real git CLI, in Foreman's bare clone and nowhere else:
// `git merge-tree --write-tree` merges in memory, `commit-tree` makes the commit, and the base branch in
// the source changes only by a successful push of it, so a conflict, a failed verification or a refused
// push leaves it exactly as it was. No worktree is registered in the clone: verification gets a plain
// checkout of the merged tree (a private index, no `.git` link back into the clone).
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/db";
import { clonePath, syncClone, withCloneLock } from "./clone";
import { resolveBranch } from "./diff";
import { GitError, git, runGit } from "./runner";

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

const MERGE_TIMEOUT_MS = 300_000;

/** What `git commit -m` stores: trailing spaces and repeated or outer blank lines dropped, one final newline. */
function cleanMessage(message: string): string {
  const lines: string[] = [];
  for (const line of message.split("\n").map((l) => l.replace(/\s+$/, ""))) {
    if (line === "" && (lines.length === 0 || lines.at(-1) === "")) continue;
    lines.push(line);
  }
  while (lines.at(-1) === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

/**
 * Merges `head` into `base` in memory. Exit 1 of merge-tree means conflicts; with --name-only -z its
 * output is the tree, then each conflicted path once, NUL-separated.
 */
async function mergeTrees(
  clone: string,
  base: string,
  head: string,
): Promise<{ tree: string } | { conflicts: string[] }> {
  const merged = await runGit(
    ["merge-tree", "--write-tree", "--no-messages", "--name-only", "-z", base, head],
    {
      gitDir: clone,
      timeoutMs: MERGE_TIMEOUT_MS,
    },
  );
  const [tree = "", ...files] = merged.stdout.split("\0").filter(Boolean);
  if (merged.code === 1 && files.length > 0) return { conflicts: files };
  if (merged.code !== 0 || !tree) throw new GitError("git merge-tree", merged);
  return { tree };
}

/** The merged tree as plain files in a new folder, for the verification command. */
async function checkoutTree(clone: string, sha: string, dir: string, indexFile: string) {
  await fs.mkdir(dir, { recursive: true });
  await git(["read-tree", "--reset", "-u", sha], {
    gitDir: clone,
    workTree: dir,
    indexFile,
    timeoutMs: MERGE_TIMEOUT_MS,
  });
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

/** The merge commit, made under the clone's lock; the tree checked out for verification when asked. */
async function commitMerge(
  clone: string,
  options: MergeOptions,
): Promise<{ conflict: string[] } | { base: string; head: string; sha: string }> {
  const base = await resolveBranch(clone, options.baseBranch);
  if (!base) throw new MergeRefusedError(`The base branch '${options.baseBranch}' no longer exists.`);
  const head = await resolveBranch(clone, options.branch);
  if (!head) throw new MergeRefusedError(`The branch '${options.branch}' no longer exists.`);
  if ((await runGit(["merge-base", "--is-ancestor", head, base], { gitDir: clone })).code === 0) {
    throw new MergeRefusedError(`'${options.baseBranch}' already holds every change of this branch.`);
  }
  const merged = await mergeTrees(clone, base, head);
  if ("conflicts" in merged) return { conflict: merged.conflicts };
  // A squash is the merged tree on the base alone; a merge commit also has the branch as parent.
  const parents = options.strategy === "squash" ? ["-p", base] : ["-p", base, "-p", head];
  const identity = {
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: "Foreman",
    GIT_COMMITTER_EMAIL: "foreman@localhost",
  };
  const committed = await git(["commit-tree", merged.tree, ...parents, "-F", "-"], {
    gitDir: clone,
    env: identity,
    input: cleanMessage(options.message),
  });
  return { base, head, sha: committed.stdout.trim() };
}

/**
 * Merges in three steps: the merge commit under the clone's lock, the verification without it (tests can
 * take minutes, and every page reading this repository's clone would wait on the lock meanwhile), then the
 * push under the lock again. A base that moved meanwhile (a push from outside Foreman; merges through
 * Foreman are queued one at a time per base) makes the push a non-fast-forward, which the source refuses.
 */
export async function mergeBranch(options: MergeOptions): Promise<MergeOutcome> {
  const clone = await syncClone(options.repo);
  const dir = path.join(dataDir(), "merges", randomUUID());
  const indexFile = `${dir}.index`;
  try {
    const made = await withCloneLock(clone, async () => {
      const commit = await commitMerge(clone, options);
      if ("sha" in commit && options.verify) await checkoutTree(clone, commit.sha, dir, indexFile);
      return commit;
    });
    if ("conflict" in made) return { status: "conflict", files: made.conflict };
    const { sha, head } = made;
    if (options.verify) {
      const check = await options.verify(dir);
      if (check.exitCode !== 0) return { status: "verification_failed", ...check };
    }
    return await withCloneLock(clone, async () => {
      const push = ["push", "--quiet", "--porcelain"];
      if (isLocalSource(options.repo.source)) {
        // Only for this push: a local repository with the base checked out takes it when its tree is clean.
        push.push("--receive-pack=git -c receive.denyCurrentBranch=updateInstead receive-pack");
      }
      const pushed = await runGit([...push, "origin", `${sha}:refs/heads/${options.baseBranch}`], {
        gitDir: clone,
        timeoutMs: MERGE_TIMEOUT_MS,
      });
      if (pushed.code !== 0) {
        throw pushRefusal(pushed.stderr + pushed.stdout, options.baseBranch, options.repo.source);
      }
      await runGit(["update-ref", `refs/remotes/origin/${options.baseBranch}`, sha], { gitDir: clone });
      // The run branch is deleted next; this ref keeps its commits in the clone, so `git blame` can still
      // tell which step wrote each line after a squash merge.
      await runGit(["update-ref", `refs/foreman/merged/${options.branch}`, head], { gitDir: clone });
      return { status: "merged" as const, sha, head };
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(indexFile, { force: true });
  }
}

/** Deletes a run branch in the source and in the clone; false when the source kept it (e.g. checked out). */
export async function deleteBranch(repo: { id: string; source: string }, branch: string): Promise<boolean> {
  const clone = clonePath(repo.id);
  await syncClone(repo).catch(() => {});
  return withCloneLock(clone, async () => {
    let deleted = true;
    const inClone = { gitDir: clone };
    const remote = await runGit(
      ["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${branch}`],
      inClone,
    );
    if (remote.code === 0) {
      const pushed = await runGit(["push", "--quiet", "origin", "--delete", branch], inClone);
      if (pushed.code !== 0) deleted = false;
      else await runGit(["update-ref", "-d", `refs/remotes/origin/${branch}`], inClone);
    }
    await runGit(["worktree", "prune"], inClone);
    await runGit(["branch", "-D", branch], inClone);
    return deleted;
  });
}
