import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pushBranch } from "./clone";
import { deleteBranch, MergeRefusedError, mergeBranch } from "./merge";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "./run-repo";
import { git, makeTestRepos } from "./test-repos";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

type Repo = { id: string; source: string };
let counter = 0;

/** A run branch made the way the engine makes one: worktree, checkpoint commit, push to the source. */
async function runBranch(repo: Repo, files: Record<string, string>, baseBranch = "main") {
  const n = ++counter;
  const branch = `foreman/${n}-change`;
  const runId = `merge-run-${n}`;
  const wt = await prepareRunRepo({ repo, runId, branch, baseBranch });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(wt.workTree, name), text);
  await checkpointCommit(wt, { message: `Step 1`, authorName: "Agent", authorEmail: "agent@x" });
  await pushBranch(repo, branch);
  await removeRunRepo(runId);
  return branch;
}

const author = { name: "Rev Iewer", email: "rev@example.com" };
const leftInMerges = () => {
  const merges = path.join(process.env.FOREMAN_DATA_DIR ?? "", "merges");
  return fs.existsSync(merges) ? fs.readdirSync(merges) : [];
};
const out = (cwd: string, ...args: string[]) => git(cwd, ...args).trim();

describe("merging a run branch", () => {
  it("merges into a bare remote with a merge commit, then deletes the branch there", async () => {
    const repo = { id: `m-bare-${Date.now()}`, source: repos.bareUrl };
    const branch = await runBranch(repo, { "feature.txt": "feature\n" });
    const before = out(repos.bare, "rev-parse", "main");
    const outcome = await mergeBranch({
      repo,
      baseBranch: "main",
      branch,
      strategy: "merge",
      message: "Merge task #1",
      author,
    });
    expect(outcome.status).toBe("merged");
    const sha = outcome.status === "merged" ? outcome.sha : "";
    expect(out(repos.bare, "rev-parse", "main")).toBe(sha);
    expect(out(repos.bare, "log", "-1", "--format=%P|%an|%s", "main")).toBe(
      `${before} ${out(repos.bare, "rev-parse", branch)}|Rev Iewer|Merge task #1`,
    );
    expect(out(repos.bare, "show", "main:feature.txt")).toBe("feature");
    expect(out(repos.bare, "symbolic-ref", "HEAD")).toBe("refs/heads/dev"); // untouched

    expect(await deleteBranch(repo, branch)).toBe(true);
    expect(out(repos.bare, "branch", "--list", branch)).toBe("");
  });

  it("squashes into one commit when the repository asks for it", async () => {
    const repo = { id: `m-squash-${Date.now()}`, source: repos.bareUrl };
    const branch = await runBranch(repo, { "squashed.txt": "s\n" });
    const before = out(repos.bare, "rev-parse", "main");
    const outcome = await mergeBranch({
      repo,
      baseBranch: "main",
      branch,
      strategy: "squash",
      message: "Add squashed.txt (#2)",
      author,
    });
    expect(outcome.status).toBe("merged");
    expect(out(repos.bare, "log", "-1", "--format=%P|%s", "main")).toBe(`${before}|Add squashed.txt (#2)`);
    expect(out(repos.bare, "show", "main:squashed.txt")).toBe("s");
  });

  it("updates a local repository with the base checked out when its tree is clean; refuses when dirty", async () => {
    const repo = { id: `m-local-${Date.now()}`, source: repos.work };
    const clean = await runBranch(repo, { "local.txt": "from the agent\n" });
    const outcome = await mergeBranch({
      repo,
      baseBranch: "main",
      branch: clean,
      strategy: "merge",
      message: "Merge",
      author,
    });
    expect(outcome.status).toBe("merged");
    // The person's checkout moved with the branch: file on disk, clean status.
    expect(fs.readFileSync(path.join(repos.work, "local.txt"), "utf8")).toBe("from the agent\n");
    expect(out(repos.work, "status", "--porcelain")).toBe("");
    expect(out(repos.work, "rev-parse", "HEAD")).toBe(outcome.status === "merged" ? outcome.sha : "");

    const dirtyBranch = await runBranch(repo, { "other.txt": "x\n" });
    fs.writeFileSync(path.join(repos.work, "README.md"), "# my unsaved work\n");
    const head = out(repos.work, "rev-parse", "HEAD");
    const attempt = mergeBranch({
      repo,
      baseBranch: "main",
      branch: dirtyBranch,
      strategy: "merge",
      message: "Merge",
      author,
    });
    await expect(attempt).rejects.toBeInstanceOf(MergeRefusedError);
    await expect(attempt).rejects.toThrow(/uncommitted changes.*Nothing was changed/);
    expect(out(repos.work, "rev-parse", "HEAD")).toBe(head);
    expect(fs.readFileSync(path.join(repos.work, "README.md"), "utf8")).toBe("# my unsaved work\n");
    expect(fs.existsSync(path.join(repos.work, "other.txt"))).toBe(false);
    git(repos.work, "checkout", "--", "README.md");
  });

  it("reports a conflict with its files when two branches edit the same line; the base stays byte for byte", async () => {
    const repo = { id: `m-conflict-${Date.now()}`, source: repos.work };
    const first = await runBranch(repo, { "README.md": "# first agent\n" });
    const second = await runBranch(repo, { "README.md": "# second agent\n", "extra.txt": "e\n" });
    const options = { repo, baseBranch: "main", strategy: "merge" as const, message: "Merge", author };
    expect((await mergeBranch({ ...options, branch: first })).status).toBe("merged");

    const head = out(repos.work, "rev-parse", "main");
    const tree = out(repos.work, "ls-tree", "-r", "main");
    const outcome = await mergeBranch({ ...options, branch: second });
    expect(outcome).toEqual({ status: "conflict", files: ["README.md"] });
    expect(out(repos.work, "rev-parse", "main")).toBe(head);
    expect(out(repos.work, "ls-tree", "-r", "main")).toBe(tree);
    expect(fs.readFileSync(path.join(repos.work, "README.md"), "utf8")).toBe("# first agent\n");
    expect(out(repos.work, "status", "--porcelain")).toBe("");
    // The merge happened in memory: no worktree was registered in Foreman's clone, no folder was left.
    const clone = path.join(process.env.FOREMAN_DATA_DIR ?? "", "repos", `${repo.id}.git`);
    expect(fs.existsSync(path.join(clone, "worktrees"))).toBe(false);
    expect(leftInMerges()).toEqual([]);
  });

  it("stops before pushing when verification of the merged tree fails", async () => {
    const repo = { id: `m-verify-${Date.now()}`, source: repos.bareUrl };
    const branch = await runBranch(repo, { "verified.txt": "v\n" });
    const before = out(repos.bare, "rev-parse", "main");
    let sawFile = false;
    let linkedToClone = true;
    const outcome = await mergeBranch({
      repo,
      baseBranch: "main",
      branch,
      strategy: "merge",
      message: "Merge",
      author,
      verify: async (dir) => {
        sawFile = fs.existsSync(path.join(dir, "verified.txt"));
        // A plain checkout: nothing in it points git (run by the verify command) at Foreman's clone.
        linkedToClone = fs.existsSync(path.join(dir, ".git"));
        return { exitCode: 1, output: "1 test failed" };
      },
    });
    expect(sawFile).toBe(true);
    expect(linkedToClone).toBe(false);
    expect(leftInMerges()).toEqual([]);
    expect(outcome).toEqual({ status: "verification_failed", exitCode: 1, output: "1 test failed" });
    expect(out(repos.bare, "rev-parse", "main")).toBe(before);
  });
});
