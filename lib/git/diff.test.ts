import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pushBranch } from "./clone";
import { blameLines, branchDiff } from "./diff";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "./run-repo";
import { git, makeTestRepos } from "./test-repos";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

describe("branch diff", () => {
  it("lists added, modified, deleted, renamed and binary files with counts, from the merge base", async () => {
    const { work } = repos;
    fs.writeFileSync(path.join(work, "keep.txt"), "one\ntwo\nthree\n");
    fs.writeFileSync(path.join(work, "gone.txt"), "bye\n");
    fs.writeFileSync(
      path.join(work, "old-name.ts"),
      `${Array.from({ length: 20 }, (_, i) => `export const v${i} = ${i};`).join("\n")}\n`,
    );
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "files");

    const repo = { id: `diff-${Date.now()}`, source: work };
    const branch = "foreman/1-diff";
    const wt = await prepareRunRepo({ repo, runId: "diff-run", branch, baseBranch: "main" });
    fs.writeFileSync(path.join(wt.workTree, "keep.txt"), "one\nTWO\nthree\nfour\n");
    fs.rmSync(path.join(wt.workTree, "gone.txt"));
    fs.renameSync(path.join(wt.workTree, "old-name.ts"), path.join(wt.workTree, "new-name.ts"));
    fs.appendFileSync(path.join(wt.workTree, "new-name.ts"), "export const extra = 1;\n");
    fs.writeFileSync(path.join(wt.workTree, "added.md"), "# new\n");
    fs.writeFileSync(
      path.join(wt.workTree, "logo.png"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0, 255]),
    );
    const commit = await checkpointCommit(wt, {
      message: "Step 1: edit",
      authorName: "Agent",
      authorEmail: "agent@foreman.local",
    });
    await pushBranch(repo, branch);
    await removeRunRepo("diff-run");

    // The base moves on after the branch started: those commits are not part of the review.
    fs.writeFileSync(path.join(work, "later.txt"), "on main only\n");
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "later on main");

    const diff = await branchDiff(repo, { baseBranch: "main", branch });
    expect(diff.toSha).toBe(commit?.sha);
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([
      "added.md",
      "gone.txt",
      "keep.txt",
      "logo.png",
      "new-name.ts",
    ]);
    expect(byPath["keep.txt"]).toMatchObject({
      status: "modified",
      additions: 2,
      deletions: 1,
      binary: false,
    });
    expect(byPath["gone.txt"]).toMatchObject({ status: "deleted", additions: 0, deletions: 1 });
    expect(byPath["added.md"]).toMatchObject({ status: "added", additions: 1, deletions: 0 });
    expect(byPath["new-name.ts"]).toMatchObject({
      status: "renamed",
      oldPath: "old-name.ts",
      additions: 1,
      deletions: 0,
    });
    expect(byPath["logo.png"]).toMatchObject({ status: "added", binary: true });
    expect(diff.patch).toContain("-two\n+TWO\n");
    expect(diff.patch).toContain("rename from old-name.ts");
    expect(diff.patch).toMatch(/Binary files \/dev\/null and b\/logo.png differ/);
    expect(diff.patch).not.toContain("later.txt");

    // Provenance: every changed line of keep.txt was written by the checkpoint commit.
    const blame = await blameLines(repo, { ref: diff.toSha, path: "keep.txt", start: 2, end: 4 });
    expect(blame).toEqual([
      { line: 2, sha: commit?.sha },
      { line: 3, sha: blame[1]?.sha },
      { line: 4, sha: commit?.sha },
    ]);
    expect(blame[1]?.sha).not.toBe(commit?.sha); // "three" was there before the run
  });

  it("says clearly when the branch doesn't exist", async () => {
    const repo = { id: `diff-missing-${Date.now()}`, source: repos.work };
    await expect(branchDiff(repo, { baseBranch: "main", branch: "foreman/none" })).rejects.toThrow(
      /doesn't exist/,
    );
  });
});
