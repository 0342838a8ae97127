import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRefFiles } from "./ref-files";

let dir: string;
let repo: string;
let first: string;
let second: string;

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "--git-dir", repo, ...args], {
    encoding: "utf8",
  }).trim();

/** What git itself says, ref by ref (missing ones left out). */
function fromGit(refs: string[]): Map<string, string> {
  const out = git("for-each-ref", "--format=%(refname) %(objectname)", ...refs);
  return new Map(
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" ") as [string, string])
      .filter(([ref]) => refs.includes(ref)),
  );
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-ref-files-"));
  repo = path.join(dir, "clone.git");
  execFileSync("git", ["init", "-q", "--bare", repo]);
  const tree = git("mktree", "--missing");
  first = execFileSync("git", ["--git-dir", repo, "commit-tree", tree, "-m", "one"], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  }).trim();
  second = execFileSync("git", ["--git-dir", repo, "commit-tree", tree, "-p", first, "-m", "two"], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  }).trim();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("readRefFiles", () => {
  it("reads loose and packed refs as git does, a newer loose one over its packed line", () => {
    git("update-ref", "refs/remotes/origin/main", first);
    git("update-ref", "refs/heads/foreman/old-run", first);
    git("pack-refs", "--all");
    git("update-ref", "refs/heads/foreman/old-run", second); // loose now, packed line still `first`
    git("update-ref", "refs/heads/foreman/new-run", second); // loose only
    const refs = [
      "refs/remotes/origin/main",
      "refs/heads/foreman/old-run",
      "refs/heads/foreman/new-run",
      "refs/remotes/origin/foreman/new-run",
    ];
    const read = readRefFiles(repo, refs);
    expect(read).toEqual(fromGit(refs));
    expect(read?.get("refs/heads/foreman/old-run")).toBe(second);
    expect(read?.get("refs/remotes/origin/main")).toBe(first);
    expect(read?.has("refs/remotes/origin/foreman/new-run")).toBe(false);
  });

  it("sees a packed ref deleted, and reads a repository with no packed-refs", () => {
    git("update-ref", "refs/heads/gone", first);
    git("update-ref", "refs/heads/kept", first);
    git("pack-refs", "--all");
    git("update-ref", "-d", "refs/heads/gone");
    expect(readRefFiles(repo, ["refs/heads/gone", "refs/heads/kept"])).toEqual(
      new Map([["refs/heads/kept", first]]),
    );
    fs.rmSync(path.join(repo, "packed-refs"));
    git("update-ref", "refs/heads/loose", second);
    expect(readRefFiles(repo, ["refs/heads/loose", "refs/heads/kept"])).toEqual(
      new Map([["refs/heads/loose", second]]),
    );
  });

  it("leaves to git what the files can't answer for sure", () => {
    git("update-ref", "refs/heads/a/b", first);
    git("symbolic-ref", "refs/heads/pointer", "refs/heads/a/b");
    expect(readRefFiles(repo, ["refs/heads/pointer"])).toBeNull(); // a symbolic ref
    expect(readRefFiles(repo, ["refs/heads/a"])).toBeNull(); // a folder of refs
    for (const name of ["refs/heads/../config", "refs/heads/x.lock", "refs/heads/.hidden", "HEAD", "refs//x"])
      expect(readRefFiles(repo, [name])).toBeNull();
    fs.appendFileSync(path.join(repo, "config"), "[extensions]\n\trefStorage = reftable\n");
    expect(readRefFiles(repo, ["refs/heads/a/b"])).toBeNull();
  });

  it("refuses a packed-refs it can't parse rather than guess", () => {
    git("update-ref", "refs/heads/kept", first);
    git("pack-refs", "--all");
    fs.appendFileSync(path.join(repo, "packed-refs"), "not a line git writes\n");
    expect(readRefFiles(repo, ["refs/heads/kept"])).toBeNull();
  });
});
