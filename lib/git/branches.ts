import { clonePath, syncClone, withCloneLock } from "./clone";
import { deleteBranch } from "./merge";
import { git, runGit } from "./runner";

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

// ---------------------------------------------------------------------------------------------------
// Archived branches of closed work: a discarded task's branches, and the attempts closed when another
// attempt of the task was promoted (lib/compare/promote.ts). Closing deletes the branches in the source
// (people should not see dead branches there), but the work must stay readable for the team's retention
// period: before the delete, each branch's head is kept under refs/foreman/archive/task-<task id>/<branch>
// in Foreman's own clone. Nothing fetches or prunes that namespace (the clone's refspec covers
// refs/heads only), and the ref keeps the commits safe from gc until the retention sweep deletes it.

const ARCHIVE_ROOT = "refs/foreman/archive";

/** The archive namespace of one task; the id is a uuid (checked), never agent-written text. */
function taskArchivePrefix(taskId: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) throw new Error(`not a task id: ${taskId}`);
  return `${ARCHIVE_ROOT}/task-${taskId.toLowerCase()}`;
}

/** The archive ref of a branch, or null when the branch name can't be part of a ref. */
async function archiveRef(clone: string, taskId: string, branch: string): Promise<string | null> {
  const ref = `${taskArchivePrefix(taskId)}/${branch}`;
  const checked = await runGit(["check-ref-format", ref], { gitDir: clone });
  return checked.code === 0 && !branch.startsWith("-") ? ref : null;
}

/**
 * Keeps the heads of a task's branches under its archive namespace, before the branches are deleted.
 * Returns the branches archived (a branch with no commit anywhere is skipped).
 */
export async function archiveTaskBranches(
  repo: { id: string; source: string },
  taskId: string,
  branches: string[],
): Promise<string[]> {
  const clone = clonePath(repo.id);
  await syncClone(repo).catch(() => {});
  return withCloneLock(clone, async () => {
    const archived: string[] = [];
    for (const branch of branches) {
      const ref = await archiveRef(clone, taskId, branch);
      if (!ref) continue;
      let sha = "";
      for (const source of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
        const found = await runGit(["rev-parse", "--verify", "--quiet", `${source}^{commit}`], {
          gitDir: clone,
        });
        sha = found.code === 0 ? found.stdout.trim() : "";
        if (sha) break;
      }
      if (!sha) continue;
      const kept = await runGit(["update-ref", ref, sha], { gitDir: clone });
      if (kept.code === 0) archived.push(branch);
    }
    return archived;
  });
}

/**
 * Closes branches of a task: archives their heads (above), then deletes them in the source. An archive that
 * fails (an unreachable source) leaves the diffs unreadable, never the close undone. Returns the branches
 * the source refused to delete (checked out there).
 */
export async function closeTaskBranches(
  repo: { id: string; source: string },
  taskId: string,
  branches: string[],
): Promise<string[]> {
  await archiveTaskBranches(repo, taskId, branches).catch((error: unknown) => {
    console.warn(`[git] task ${taskId}: the closed branches could not be archived:`, error);
  });
  const kept: string[] = [];
  for (const branch of branches) {
    if (!(await deleteBranch(repo, branch).catch(() => false))) kept.push(branch);
  }
  return kept;
}

/** The archived head of a closed task's branch, or null when it was never kept or has expired. */
export async function archivedBranchHead(
  clone: string,
  taskId: string,
  branch: string,
): Promise<string | null> {
  const ref = await archiveRef(clone, taskId, branch);
  if (!ref) return null;
  const found = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { gitDir: clone });
  return found.code === 0 ? found.stdout.trim() || null : null;
}

/** Deletes every archive ref of a task in the clone (the retention sweep); returns how many it deleted. */
export async function deleteTaskArchive(repo: { id: string }, taskId: string): Promise<number> {
  const clone = clonePath(repo.id);
  const prefix = taskArchivePrefix(taskId);
  return withCloneLock(clone, async () => {
    const listed = await runGit(["for-each-ref", "--format=%(refname)", `${prefix}/`], { gitDir: clone });
    // No clone at all (the repository was never read here): nothing is kept, nothing to delete.
    if (listed.code !== 0) return 0;
    const refs = listed.stdout
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    for (const ref of refs) await runGit(["update-ref", "-d", ref], { gitDir: clone });
    return refs.length;
  });
}
