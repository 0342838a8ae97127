// Each run gets a repository of its own: a work tree with the run branch's files, and in it a small `.git`
// of the agent's that borrows Foreman's clone's objects (read-only in the sandbox) and has no remote. The
// agent may commit there as it likes; nothing Foreman does reads that `.git`.
//
// Foreman's own view of the run is kept apart, where no command of the run can reach: its clone as
// --git-dir, the work tree as --work-tree, and an index file of the run's own. So a checkpoint never trusts
// what the agent wrote (a `.git` file pointing elsewhere, a config with an fsmonitor, hooks), and only
// Foreman moves the run branch, in its clone, from where only it pushes the branch to the source.
import fsSync, { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/db";
import { removeTree } from "@/lib/spawner/spawn";
import { syncClone } from "./clone";
import { readRefFiles } from "./ref-files";
import { git, gitSequence, runGit } from "./runner";

export interface RunRepo {
  baseBranch: string;
  /** Foreman's bare clone: the git dir of every server-side command on the run. */
  clone: string;
  /** The run's folder: the work tree, the index, and the sandbox's state. */
  dir: string;
  workTree: string;
  indexFile: string;
  branch: string;
  baseSha: string;
}

export function runDir(runId: string): string {
  return path.join(dataDir(), "runs", runId);
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/** The commit each existing ref points at (missing refs are left out): from the ref files, else from git. */
async function refShas(clone: string, refs: string[]): Promise<Map<string, string>> {
  const fromFiles = readRefFiles(clone, refs);
  if (fromFiles) return fromFiles;
  const { stdout } = await git(["for-each-ref", "--format=%(refname) %(objectname)", ...refs], {
    gitDir: clone,
  });
  const found = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [ref, sha] = line.trim().split(" ");
    if (ref && sha && refs.includes(ref)) found.set(ref, sha);
  }
  return found;
}

/**
 * The agent's own `.git`, written file by file (no git process, no template, nothing from the server's
 * config): HEAD on the run branch at `sha`, objects borrowed from `objectsPath` (the path the agent's git
 * sees), and the index Foreman just wrote, so `git status` starts clean.
 */
function writeAgentGitDir(
  workTree: string,
  options: {
    branch: string;
    sha: string;
    baseBranch: string;
    baseSha: string;
    objectsPath: string;
    indexFile: string;
    /** More branches of the agent's own (a judge's attempts): name → commit. */
    moreBranches?: Record<string, string>;
  },
) {
  // Synchronous: a dozen tiny files in the run's fresh folder, cheaper than as many thread-pool round trips.
  const gitDir = path.join(workTree, ".git");
  const write = (file: string, text: string) => {
    fsSync.mkdirSync(path.dirname(file), { recursive: true });
    fsSync.writeFileSync(file, text);
  };
  fsSync.rmSync(gitDir, { recursive: true, force: true });
  fsSync.mkdirSync(path.join(gitDir, "objects", "pack"), { recursive: true });
  fsSync.mkdirSync(path.join(gitDir, "refs", "tags"), { recursive: true });
  write(path.join(gitDir, "HEAD"), `ref: refs/heads/${options.branch}\n`);
  write(
    path.join(gitDir, "config"),
    "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n",
  );
  write(path.join(gitDir, "objects", "info", "alternates"), `${options.objectsPath}\n`);
  write(path.join(gitDir, "refs", "heads", options.branch), `${options.sha}\n`);
  for (const [name, sha] of Object.entries(options.moreBranches ?? {}))
    write(path.join(gitDir, "refs", "heads", name), `${sha}\n`);
  // The base as `origin/<base>`, so the agent can merge it in to resolve a conflict.
  write(path.join(gitDir, "refs", "remotes", "origin", options.baseBranch), `${options.baseSha}\n`);
  fsSync.copyFileSync(options.indexFile, path.join(gitDir, "index"));
}

/**
 * The run's repository on `branch`: continues the branch where the source (or the clone) has it, otherwise
 * starts it from the base branch. An existing one is reused, so resuming a run on this machine keeps the
 * files its last step left.
 */
export async function prepareRunRepo(options: {
  repo: { id: string; source: string };
  runId: string;
  branch: string;
  baseBranch: string;
  /** The clone's objects folder as the agent's git sees it (inside the sandbox); default the host path. */
  agentObjectsPath?: (hostObjectsDir: string) => string;
}): Promise<RunRepo> {
  const clone = await syncClone(options.repo);
  const dir = runDir(options.runId);
  const workTree = path.join(dir, "repo");
  const indexFile = path.join(dir, "index");
  const base = `refs/remotes/origin/${options.baseBranch}`;
  const remoteBranch = `refs/remotes/origin/${options.branch}`;
  const localBranch = `refs/heads/${options.branch}`;
  const refs = await refShas(clone, [base, remoteBranch, localBranch]);
  const baseSha = refs.get(base);
  if (!baseSha)
    throw new Error(`The base branch '${options.baseBranch}' no longer exists in the repository.`);
  const runRepo = {
    clone,
    dir,
    workTree,
    indexFile,
    branch: options.branch,
    baseBranch: options.baseBranch,
    baseSha,
  };
  if ((await exists(indexFile)) && (await exists(workTree))) return runRepo;

  const start = refs.get(remoteBranch) ?? refs.get(localBranch) ?? baseSha;
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(workTree, { recursive: true });
  const where = { gitDir: clone, workTree, indexFile };
  await git(["update-ref", localBranch, start], { gitDir: clone });
  await git(["read-tree", "-u", "--reset", start], where);
  writeAgentGitDir(workTree, {
    branch: options.branch,
    sha: start,
    baseBranch: options.baseBranch,
    baseSha,
    objectsPath: (options.agentObjectsPath ?? ((p) => p))(path.join(clone, "objects")),
    indexFile,
  });
  return runRepo;
}

/**
 * A judge's repository (Best-of-N): the base branch's files, and each attempt as a branch of the agent's own
 * `.git` (`attempt-1`, `attempt-2` … at the commits the judge was shown), so it can diff, show and compare
 * them. Nothing is written to Foreman's clone: no branch of the run's, no ref. Mounted read-only.
 */
export async function prepareJudgeRepo(options: {
  repo: { id: string; source: string };
  runId: string;
  baseBranch: string;
  attempts: { name: string; sha: string }[];
  agentObjectsPath?: (hostObjectsDir: string) => string;
}): Promise<RunRepo> {
  const clone = await syncClone(options.repo);
  const dir = runDir(options.runId);
  const workTree = path.join(dir, "repo");
  const indexFile = path.join(dir, "index");
  const base = `refs/remotes/origin/${options.baseBranch}`;
  const baseSha = (await refShas(clone, [base])).get(base);
  if (!baseSha)
    throw new Error(`The base branch '${options.baseBranch}' no longer exists in the repository.`);
  const runRepo = {
    clone,
    dir,
    workTree,
    indexFile,
    branch: options.baseBranch,
    baseBranch: options.baseBranch,
    baseSha,
  };
  if ((await exists(indexFile)) && (await exists(workTree))) return runRepo;
  for (const attempt of options.attempts) {
    const found = await runGit(["cat-file", "-e", `${attempt.sha}^{commit}`], { gitDir: clone });
    if (found.code !== 0)
      throw new Error(`${attempt.name}'s commit ${attempt.sha.slice(0, 10)} is no longer in the repository.`);
  }
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(workTree, { recursive: true });
  await git(["read-tree", "-u", "--reset", baseSha], { gitDir: clone, workTree, indexFile });
  writeAgentGitDir(workTree, {
    branch: options.baseBranch,
    sha: baseSha,
    baseBranch: options.baseBranch,
    baseSha,
    objectsPath: (options.agentObjectsPath ?? ((p) => p))(path.join(clone, "objects")),
    indexFile,
    moreBranches: Object.fromEntries(options.attempts.map((a) => [a.name, a.sha])),
  });
  return runRepo;
}

/** A tree hash of everything in the work tree (the agent's `.git` is never part of it). */
export async function snapshotTree(runRepo: RunRepo): Promise<string> {
  const where = { gitDir: runRepo.clone, workTree: runRepo.workTree, indexFile: runRepo.indexFile };
  return (await gitSequence([["add", "--all"], ["write-tree"]], where)).stdout.trim();
}

/** Files that differ between two trees. */
export async function changedBetween(runRepo: RunRepo, before: string, after: string): Promise<string[]> {
  if (before === after) return [];
  const diff = await git(["diff-tree", "-r", "--name-only", "-z", before, after], { gitDir: runRepo.clone });
  return diff.stdout.split("\0").filter(Boolean);
}

/**
 * Commits everything the step changed onto the run branch in Foreman's clone (author: the agent,
 * committer: Foreman); null when nothing changed. `tree` is the work tree's snapshot when the caller has it.
 */
export async function checkpointCommit(
  runRepo: RunRepo,
  options: { message: string; authorName: string; authorEmail: string; tree?: string },
): Promise<{ sha: string; files: string[] } | null> {
  const ref = `refs/heads/${runRepo.branch}`;
  const tree = options.tree ?? (await snapshotTree(runRepo));
  const [parent, parentTree] = (
    await git(["rev-parse", ref, `${ref}^{tree}`], { gitDir: runRepo.clone })
  ).stdout
    .trim()
    .split("\n");
  if (!parent || tree === parentTree) return null;
  const merged = await pendingBaseMerge(runRepo, parent);
  const identity = {
    GIT_AUTHOR_NAME: options.authorName,
    GIT_AUTHOR_EMAIL: options.authorEmail,
    GIT_COMMITTER_NAME: "Foreman",
    GIT_COMMITTER_EMAIL: "foreman@localhost",
  };
  const sha = (
    await git(["commit-tree", tree, "-p", parent, ...(merged ? ["-p", merged] : []), "-F", "-"], {
      gitDir: runRepo.clone,
      env: identity,
      input: options.message,
    })
  ).stdout.trim();
  const [, files] = await Promise.all([
    git(["update-ref", ref, sha, parent], { gitDir: runRepo.clone }),
    changedBetween(runRepo, parentTree ?? "", tree),
  ]);
  return { sha, files };
}

/**
 * A merge of the base branch the agent started in its own `.git` (`git merge --no-commit origin/<base>`, as
 * a conflict resolution asks): the commit its MERGE_HEAD names becomes the checkpoint's second parent. The
 * agent wrote that file, so it is read without following links, and only a commit of the base branch that the
 * run branch doesn't hold yet is taken: the agent can conclude a merge of the base, and nothing else.
 */
async function pendingBaseMerge(runRepo: RunRepo, parent: string): Promise<string | null> {
  let text: string;
  try {
    const file = await fs.open(
      path.join(runRepo.workTree, ".git", "MERGE_HEAD"),
      fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK,
    );
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(128), 0, 128, 0);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await file.close();
    }
  } catch {
    return null;
  }
  const sha = /^([0-9a-f]{40})\s*$/.exec(text)?.[1];
  if (!sha) return null;
  const base = `refs/remotes/origin/${runRepo.baseBranch}`;
  const where = { gitDir: runRepo.clone };
  const ofBase = await runGit(["merge-base", "--is-ancestor", sha, base], where);
  const alreadyHeld = await runGit(["merge-base", "--is-ancestor", sha, parent], where);
  return ofBase.code === 0 && alreadyHeld.code !== 0 ? sha : null;
}

/** Removes the run's folder; the branch stays in the clone and the source until merged or discarded. */
export async function removeRunRepo(runId: string): Promise<void> {
  await removeTree(runDir(runId));
}
