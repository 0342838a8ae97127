// Predicted conflicts between open branches, from git alone: which files each branch changes since it
// left its base, and for each pair that changes a file in common, whether merging both would conflict
// (`git merge-tree --write-tree` on the two heads, in memory: real conflicts, not just the same file).
// Results are cached by commit, so recomputing after one branch moved costs only that branch's pairs.
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
const changedCache = new Map<string, string[]>();
const mergeCache = new Map<string, string[]>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** Files `head` changes since it left `base` (the three-dot diff: the base's own later changes don't count). */
export async function changedFiles(clone: string, baseSha: string, headSha: string): Promise<string[]> {
  const key = `${baseSha}:${headSha}`;
  const cached = changedCache.get(key);
  if (cached) return cached;
  const diff = await runGit(["diff", "--name-only", "--no-renames", "-z", `${baseSha}...${headSha}`], {
    gitDir: clone,
    timeoutMs: TIMEOUT_MS,
  });
  if (diff.code !== 0) throw new GitError("git diff", diff);
  return remember(changedCache, key, diff.stdout.split("\0").filter(Boolean).sort());
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
  const files = await inBatches(heads, parallel, (head) => changedFiles(clone, baseSha, head.sha));
  const touched = heads.map((head, i) => ({ head, files: new Set(files[i]) }));
  const pairs: { a: BranchHead; b: BranchHead; files: string[] }[] = [];
  for (let i = 0; i < touched.length; i++) {
    for (let j = i + 1; j < touched.length; j++) {
      const a = touched[i] as (typeof touched)[number];
      const b = touched[j] as (typeof touched)[number];
      if (a.head.owner === b.head.owner || a.head.sha === b.head.sha) continue;
      const [small, large] = a.files.size <= b.files.size ? [a.files, b.files] : [b.files, a.files];
      const common = [...small].filter((file) => large.has(file)).sort();
      if (common.length > 0) pairs.push({ a: a.head, b: b.head, files: common });
    }
  }
  return inBatches(pairs, parallel, async (pair) => ({
    ...pair,
    conflicts: await conflictingFiles(clone, pair.a.sha, pair.b.sha),
  }));
}
