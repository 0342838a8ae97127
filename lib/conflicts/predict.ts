// Predicted conflicts between open branches, from git alone: which files each branch changes since it
// left its base, and for each pair that changes a file in common, whether merging both would conflict
// (`git merge-tree --write-tree` on the two heads, in memory: real conflicts, not just the same file).
// A pair whose shared files' changes are apart (same merge base, no hunk overlapping or touching another)
// merges cleanly without asking; the rest are merged in memory. Results are cached by commit, so
// recomputing after one branch moved costs only that branch's pairs.
import { GitError, runGit } from "@/lib/git/runner";

export interface BranchHead {
  /** Whose branch this is: pairs of the same owner (attempts at one task) are not compared. */
  owner: string;
  sha: string;
}

export interface PredictedOverlap {
  a: BranchHead;
  b: BranchHead;
  /** Files both branches change. */
  files: string[];
  /** Files that would conflict if both merged (empty: they merge cleanly). */
  conflicts: string[];
}

const TIMEOUT_MS = 60_000;
const CACHE_LIMIT = 20_000;
const changedCache = new Map<string, BranchChanges>();
const mergeCache = new Map<string, string[]>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** What a branch changed since it left the base: per file, the old-side line ranges of its hunks. */
export interface BranchChanges {
  /** The commit the branch left the base at (line numbers below refer to it). */
  mergeBase: string;
  /** File → changed ranges [first, last] in the merge base ("whole": binary, added, deleted, mode). */
  files: Map<string, [number, number][] | "whole">;
}

/** Parses `git diff -U0` output into changed ranges per file. */
export function parseHunks(patch: string): Map<string, [number, number][] | "whole"> {
  const files = new Map<string, [number, number][] | "whole">();
  let current: string | null = null;
  for (const line of patch.split("\n")) {
    const header = /^diff --git a\/.* b\/(.*)$/.exec(line);
    if (header) {
      current = header[1] ?? null;
      if (current) files.set(current, []);
      continue;
    }
    if (!current) continue;
    // Added, deleted, binary or mode-changed: the whole file, left to merge-tree.
    if (/^(new file mode|deleted file mode|old mode|Binary files )/.test(line)) {
      files.set(current, "whole");
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    const ranges = files.get(current);
    if (!hunk || ranges === undefined || ranges === "whole") continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    // A pure insertion after line `start` occupies no old line: the gap between start and start+1.
    ranges.push(count === 0 ? [start + 0.5, start + 0.5] : [start, start + count - 1]);
  }
  return files;
}

/** What `head` changed since it left `base`, with the line ranges of each change. */
export async function branchChanges(clone: string, baseSha: string, headSha: string): Promise<BranchChanges> {
  const key = `${baseSha}:${headSha}`;
  const cached = changedCache.get(key);
  if (cached) return cached;
  const found = await runGit(["merge-base", baseSha, headSha], { gitDir: clone, timeoutMs: TIMEOUT_MS });
  if (found.code !== 0) throw new GitError("git merge-base", found);
  const mergeBase = found.stdout.trim();
  const diff = await runGit(
    [
      "diff",
      "-U0",
      "--no-renames",
      "--no-color",
      "--no-ext-diff",
      "--src-prefix=a/",
      "--dst-prefix=b/",
      mergeBase,
      headSha,
    ],
    { gitDir: clone, timeoutMs: TIMEOUT_MS },
  );
  if (diff.code !== 0) throw new GitError("git diff", diff);
  return remember(changedCache, key, { mergeBase, files: parseHunks(diff.stdout) });
}

/**
 * Whether git could conflict merging the two: some shared file's changes overlap or touch (git conflicts
 * on adjacent hunks too). False only when that is certain from the line numbers, i.e. both left the base
 * at the same commit and every shared file's changes are apart; otherwise merge-tree decides.
 */
function mayConflict(a: BranchChanges, b: BranchChanges, shared: string[]): boolean {
  if (a.mergeBase !== b.mergeBase) return true;
  return shared.some((file) => {
    const x = a.files.get(file);
    const y = b.files.get(file);
    if (x === "whole" || y === "whole" || !x || !y) return true;
    return x.some(([s1, e1]) => y.some(([s2, e2]) => s1 <= e2 + 1 && s2 <= e1 + 1));
  });
}

/** Files that conflict when `a` and `b` are merged together; [] when they merge cleanly. */
export async function conflictingFiles(clone: string, a: string, b: string): Promise<string[]> {
  const key = a < b ? `${a}:${b}` : `${b}:${a}`;
  const cached = mergeCache.get(key);
  if (cached) return cached;
  const merged = await runGit(["merge-tree", "--write-tree", "--no-messages", "--name-only", "-z", a, b], {
    gitDir: clone,
    timeoutMs: TIMEOUT_MS,
  });
  if (merged.code !== 0 && merged.code !== 1) throw new GitError("git merge-tree", merged);
  const [, ...files] = merged.stdout.split("\0").filter(Boolean);
  return remember(mergeCache, key, merged.code === 1 ? [...new Set(files)].sort() : []);
}

/** Runs at most `limit` of the tasks at once. */
async function inBatches<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index] as T);
      }
    }),
  );
  return results;
}

/**
 * Every pair of heads (of different owners) on one base that changes a file in common, with the files
 * that would conflict. Heads with nothing changed since the base overlap nothing.
 */
export async function predictOverlaps(
  clone: string,
  baseSha: string,
  heads: BranchHead[],
  options: { parallel?: number } = {},
): Promise<PredictedOverlap[]> {
  const parallel = options.parallel ?? 4;
  const changes = await inBatches(heads, parallel, (head) => branchChanges(clone, baseSha, head.sha));
  const pairs: { a: BranchHead; b: BranchHead; files: string[]; check: boolean }[] = [];
  for (let i = 0; i < heads.length; i++) {
    for (let j = i + 1; j < heads.length; j++) {
      const a = heads[i] as BranchHead;
      const b = heads[j] as BranchHead;
      const ca = changes[i] as BranchChanges;
      const cb = changes[j] as BranchChanges;
      if (a.owner === b.owner || a.sha === b.sha) continue;
      const [small, large] = ca.files.size <= cb.files.size ? [ca.files, cb.files] : [cb.files, ca.files];
      const common = [...small.keys()].filter((file) => large.has(file)).sort();
      if (common.length > 0) pairs.push({ a, b, files: common, check: mayConflict(ca, cb, common) });
    }
  }
  return inBatches(pairs, parallel, async ({ check, ...pair }) => ({
    ...pair,
    conflicts: check ? await conflictingFiles(clone, pair.a.sha, pair.b.sha) : [],
  }));
}
