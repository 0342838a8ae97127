// The files a review reads from git: the branch head's ("new") and the merge base's ("old", where removed
// lines live), read once per path and side, and the diff between them.
import { getDb } from "@/db";
import type { Task } from "@/db/schema";
import { diffCommits, mergeBaseOf, readFileAt, readyClone, resolveBranch } from "@/lib/git/diff";
import { repoOf } from "./load";
import type { CommentSide } from "./prompts";

/**
 * The file texts comments quote, read once per path and side: the branch head's ("new"), and the merge
 * base's ("old", where removed lines live).
 */
export async function fileReader(task: Task, branch: string) {
  const db = await getDb();
  const repo = await repoOf(db, task);
  const clone = await readyClone(repo).catch(() => null);
  const head = clone ? await resolveBranch(clone, branch) : null;
  const base = clone ? await resolveBranch(clone, task.baseBranch) : null;
  const old = clone && head && base ? await mergeBaseOf(clone, base, head) : null;
  const texts = new Map<string, string | null>();
  const key = (path: string, side: CommentSide) => `${side}\0${path}`;
  return {
    /** The branch head the texts are read at; null when git can't tell. */
    head,
    async load(comments: Array<{ path: string; side: CommentSide }>) {
      for (const c of comments) {
        const sha = c.side === "old" ? old : head;
        if (!texts.has(key(c.path, c.side)))
          texts.set(key(c.path, c.side), sha ? await readFileAt(repo, sha, c.path) : null);
      }
    },
    text: (path: string, side: CommentSide) => texts.get(key(path, side)) ?? null,
    /** The diff under review (merge base → branch head); null when git can't tell. */
    diff: async () => (clone && head && old ? await diffCommits(clone, old, head) : null),
  };
}

export type FileReader = Awaited<ReturnType<typeof fileReader>>;
