import { syncClone } from "./clone";
import { git } from "./runner";

/**
 * The branches of a repository as Foreman's own clone has them, fetched up to date first
 * (`git for-each-ref refs/remotes/origin`). Foreman's run branches are left out: they are work in
 * progress, not bases to start from.
 */
export async function listCloneBranches(repo: { id: string; source: string }): Promise<string[]> {
  const dir = await syncClone(repo);
  const { stdout } = await git(["for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin"], {
    gitDir: dir,
  });
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((name) => name && name !== "HEAD" && !name.startsWith("foreman/"))
    .sort((a, b) => a.localeCompare(b));
}
