// "Since the last review": what the agent changed after the reviewed commit, without what it merged in.
// A conflict-resolution run merges the base branch into the run branch; a plain diff from the reviewed
// commit would then show every change made on the base meanwhile as if the agent had written it.
import { type BranchDiff, diffCommits, mergeBaseOf } from "./diff";
import { runGit } from "./runner";

/**
 * `head` against `reviewed` merged with the base commit the branch has taken in since (git merge-tree,
 * in memory: nothing is checked out or committed). Conflicted files of that merge keep their markers, so
 * the diff shows how the agent resolved them. With no base merged in, it is the plain diff.
 */
export async function diffSinceReviewed(
  clone: string,
  options: { reviewed: string; head: string; base: string },
): Promise<BranchDiff> {
  const { reviewed, head, base } = options;
  const takenIn = await mergeBaseOf(clone, base, head);
  const alreadyHad = takenIn
    ? (await runGit(["merge-base", "--is-ancestor", takenIn, reviewed], { gitDir: clone })).code === 0
    : true;
  if (!takenIn || alreadyHad) return diffCommits(clone, reviewed, head);
  // Exit 0: clean, 1: conflicts; either way the first line is the merged tree.
  const merged = await runGit(["merge-tree", "--write-tree", "--no-messages", reviewed, takenIn], {
    gitDir: clone,
  });
  const tree = merged.stdout.split("\n")[0]?.trim();
  if ((merged.code !== 0 && merged.code !== 1) || !tree) return diffCommits(clone, reviewed, head);
  return { ...(await diffCommits(clone, tree, head)), fromSha: reviewed };
}
