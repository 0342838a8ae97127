import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnObservers } from "@/lib/spawner/spawn";
import { pushBranch } from "./clone";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "./run-repo";

function sourceRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-src-"));
  const run = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
  run("init", "-q", "-b", "main");
  fs.writeFileSync(path.join(dir, "a.txt"), "one\n");
  run("add", ".");
  run("commit", "-q", "-m", "init");
  return dir;
}

const sourceGit = (dir: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();

describe("run repositories", () => {
  it("works on a branch of its own, checkpoints each step, pushes it back, and resumes from the source", async () => {
    const source = sourceRepo();
    const repo = { id: `r${Date.now()}`, source };
    const branch = "foreman/1-edit-a";
    const first = await prepareRunRepo({ repo, runId: "run-1", branch, baseBranch: "main" });
    expect(first.baseSha).toBe(sourceGit(source, "rev-parse", "main"));
    fs.writeFileSync(path.join(first.workTree, "a.txt"), "two\n");
    fs.writeFileSync(path.join(first.workTree, "b.txt"), "new\n");
    const commit = await checkpointCommit(first, {
      message: "Step 1",
      authorName: "Demo agent",
      authorEmail: "agent@foreman.local",
    });
    expect(commit?.files.sort()).toEqual(["a.txt", "b.txt"]);
    expect(
      await checkpointCommit(first, { message: "nothing", authorName: "x", authorEmail: "x@x" }),
    ).toBeNull();
    await pushBranch(repo, branch);

    // The person's repository: branch present with the agent as author; their checkout untouched.
    expect(sourceGit(source, "log", "-1", "--format=%an|%s", branch)).toBe("Demo agent|Step 1");
    expect(sourceGit(source, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(fs.readFileSync(path.join(source, "a.txt"), "utf8")).toBe("one\n");

    await removeRunRepo("run-1");
    expect(fs.existsSync(first.workTree)).toBe(false);

    // Another run (or a worker on another machine) continues the branch where it was left.
    const second = await prepareRunRepo({ repo, runId: "run-2", branch, baseBranch: "main" });
    expect(fs.readFileSync(path.join(second.workTree, "b.txt"), "utf8")).toBe("new\n");
    await removeRunRepo("run-2");
  });

  it("starts a run reading its refs from the clone's files: git only fetches, moves the branch and checks out", async () => {
    const source = sourceRepo();
    const repo = { id: `r${Date.now()}-refs`, source };
    await prepareRunRepo({ repo, runId: "run-refs-1", branch: "foreman/1-a", baseBranch: "main" });
    const started: string[] = [];
    const observe = (file: string, args: string[]) => {
      const command = args.find((arg) => ["fetch", "for-each-ref", "update-ref", "read-tree"].includes(arg));
      started.push(command ?? `${file} ${args.at(-1)}`);
    };
    spawnObservers.add(observe);
    try {
      const run = await prepareRunRepo({
        repo,
        runId: "run-refs-2",
        branch: "foreman/2-b",
        baseBranch: "main",
      });
      expect(run.baseSha).toBe(sourceGit(source, "rev-parse", "main"));
      expect(fs.readFileSync(path.join(run.workTree, "a.txt"), "utf8")).toBe("one\n");
    } finally {
      spawnObservers.delete(observe);
    }
    expect(started.filter((command) => command !== "fetch")).toEqual(["update-ref", "read-tree"]);
    await removeRunRepo("run-refs-1");
    await removeRunRepo("run-refs-2");
  });
});
