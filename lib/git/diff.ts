// The diff a reviewer sees: a run branch against its base, from their merge base (what merging would add),
// read with the real git CLI in Foreman's own clone.
import fs from "node:fs/promises";
import path from "node:path";
import { clonePath, syncClone } from "./clone";
import { git } from "./runner";

export const DIFF_STATUSES = ["added", "modified", "deleted", "renamed", "copied", "type_changed"] as const;
export type DiffStatus = (typeof DIFF_STATUSES)[number];

export interface DiffFile {
  path: string;
  /** The path before a rename or copy. */
  oldPath: string | null;
  status: DiffStatus;
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface BranchDiff {
  /** The commit the diff starts from: the merge base of the branch and its base. */
  fromSha: string;
  /** The branch's head. */
  toSha: string;
  files: DiffFile[];
  /** Unified patch of every file, in the order of `files`. */
  patch: string;
}

export interface RepoRef {
  id: string;
  source: string;
}

const STATUS_LETTERS: Record<string, DiffStatus> = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type_changed",
};

// Same options for the file list and the patch, so both come out in the same order.
const DIFF_OPTIONS = ["--no-color", "--no-ext-diff", "--no-textconv", "--find-renames"];

/** The clone fetched up to date; when the source is unreachable, the clone as last fetched. */
export async function readyClone(repo: RepoRef): Promise<string> {
  try {
    return await syncClone(repo);
  } catch (error) {
    const dir = clonePath(repo.id);
    const present = await fs.access(path.join(dir, "HEAD")).then(
      () => true,
      () => false,
    );
    if (!present) throw error;
    return dir;
  }
}

/** The newest commit of a branch: the source's copy first (every checkpoint is pushed there), else the clone's. */
export async function resolveBranch(clone: string, branch: string): Promise<string | null> {
  for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
    const sha = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { gitDir: clone }).then(
      (r) => r.stdout.trim(),
      () => "",
    );
    if (sha) return sha;
  }
  return null;
}

function parseNameStatus(out: string): Array<Pick<DiffFile, "path" | "oldPath" | "status">> {
  const parts = out.split("\0");
  const files: Array<Pick<DiffFile, "path" | "oldPath" | "status">> = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++];
    if (!code) continue;
    const status = STATUS_LETTERS[code[0] ?? ""] ?? "modified";
    if (status === "renamed" || status === "copied") {
      const oldPath = parts[i++] ?? "";
      files.push({ path: parts[i++] ?? "", oldPath, status });
    } else {
      files.push({ path: parts[i++] ?? "", oldPath: null, status });
    }
  }
  return files;
}

function parseNumstat(out: string): Array<{ additions: number; deletions: number; binary: boolean }> {
  // -z: "added\tdeleted\tpath\0", or for renames "added\tdeleted\t\0old\0new\0".
  const parts = out.split("\0");
  const rows: Array<{ additions: number; deletions: number; binary: boolean }> = [];
  for (let i = 0; i < parts.length; ) {
    const entry = parts[i++];
    if (!entry) continue;
    const [added = "", deleted = "", name = ""] = entry.split("\t");
    if (name === "") i += 2;
    const binary = added === "-" && deleted === "-";
    rows.push({ additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary });
  }
  return rows;
}

/** The diff between two commits in a clone: file list with counts, and the unified patch. */
export async function diffCommits(clone: string, fromSha: string, toSha: string): Promise<BranchDiff> {
  const range = [fromSha, toSha];
  const [names, numstat, patch] = await Promise.all([
    git(["diff", ...DIFF_OPTIONS, "-z", "--name-status", ...range], { gitDir: clone }),
    git(["diff", ...DIFF_OPTIONS, "-z", "--numstat", ...range], { gitDir: clone }),
    git(["diff", ...DIFF_OPTIONS, "--src-prefix=a/", "--dst-prefix=b/", ...range], { gitDir: clone }),
  ]);
  const counts = parseNumstat(numstat.stdout);
  const files = parseNameStatus(names.stdout).map((file, index) => ({
    ...file,
    ...(counts[index] ?? { additions: 0, deletions: 0, binary: false }),
  }));
  return { fromSha, toSha, files, patch: patch.stdout };
}

/** The best common ancestor of two commits; null when they share no history. */
export async function mergeBaseOf(clone: string, a: string, b: string): Promise<string | null> {
  return git(["merge-base", a, b], { gitDir: clone }).then(
    (r) => r.stdout.trim() || null,
    () => null,
  );
}

/** What merging `head` into `base` would bring: `head` against their merge base. */
export async function diffFromMergeBase(clone: string, base: string, head: string): Promise<BranchDiff> {
  const mergeBase = (await git(["merge-base", base, head], { gitDir: clone })).stdout.trim();
  return diffCommits(clone, mergeBase, head);
}

/** What merging `branch` into `baseBranch` would bring: the branch against its merge base. */
export async function branchDiff(
  repo: RepoRef,
  options: { baseBranch: string; branch: string },
): Promise<BranchDiff> {
  const clone = await readyClone(repo);
  const head = await resolveBranch(clone, options.branch);
  if (!head) throw new Error(`The branch '${options.branch}' doesn't exist in the repository.`);
  const base = await resolveBranch(clone, options.baseBranch);
  if (!base) throw new Error(`The base branch '${options.baseBranch}' no longer exists in the repository.`);
  return diffFromMergeBase(clone, base, head);
}

/** Which commit last touched each line of `file` at `ref`, for lines start..end (1-based, inclusive). */
export async function blameLines(
  repo: RepoRef,
  options: { ref: string; path: string; start: number; end: number },
): Promise<Array<{ line: number; sha: string }>> {
  const clone = clonePath(repo.id);
  const out = await git(
    ["blame", "--porcelain", "-L", `${options.start},${options.end}`, options.ref, "--", options.path],
    { gitDir: clone },
  );
  const lines: Array<{ line: number; sha: string }> = [];
  // Header lines: "<sha> <orig-line> <final-line> [<count>]"; content lines start with a tab.
  for (const row of out.stdout.split("\n")) {
    const match = /^([0-9a-f]{40}) \d+ (\d+)/.exec(row);
    if (match?.[1] && match[2]) lines.push({ line: Number(match[2]), sha: match[1] });
  }
  return lines;
}

/** A file's text at a commit of the clone; null when it doesn't exist there. */
export async function readFileAt(repo: RepoRef, sha: string, file: string): Promise<string | null> {
  return git(["show", `${sha}:${file}`], { gitDir: clonePath(repo.id) }).then(
    (r) => r.stdout,
    () => null,
  );
}
