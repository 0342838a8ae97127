// Whether a run branch holds any change against its base: an empty branch has nothing to approve or merge.
import { conflict } from "@/lib/errors";
import { diffFromMergeBase, type RepoRef, readyClone, resolveBranch } from "@/lib/git/diff";

/**
 * True when git shows the branch brings no change to the base (or it was never pushed: a run that changed
 * nothing); false when it does, or when git can't tell (the action then meets git's own checks).
 */
export async function branchIsEmpty(repo: RepoRef, baseBranch: string, branch: string): Promise<boolean> {
  const clone = await readyClone(repo).catch(() => null);
  if (!clone) return false;
  const base = await resolveBranch(clone, baseBranch);
  if (!base) return false;
  const head = await resolveBranch(clone, branch);
  if (!head) return true;
  const diff = await diffFromMergeBase(clone, base, head).catch(() => null);
  return diff !== null && diff.files.length === 0;
}

export async function assertBranchHasChanges(
  repo: RepoRef,
  baseBranch: string,
  branch: string,
  action: string,
) {
  if (await branchIsEmpty(repo, baseBranch, branch)) {
    throw conflict(
      `${branch} has no changes against ${baseBranch}: there is nothing to ${action}. Answer the agent, run the task again, or discard it.`,
    );
  }
}
