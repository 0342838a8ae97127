// Real git repositories in a temp folder for tests: a working repository with two branches, a bare
// clone (reachable by file:// URL), an empty repository and a plain folder.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface TestRepos {
  root: string;
  /** Working repository: branches main (HEAD) and dev. */
  work: string;
  /** Bare clone of `work` whose HEAD points to dev. */
  bare: string;
  bareUrl: string;
  /** `git init` without a commit. */
  empty: string;
  /** A folder that is not a repository. */
  plain: string;
  cleanup: () => void;
}

export function makeTestRepos(): TestRepos {
  // realpath: on macOS the temp folder is a symlink, and Foreman stores resolved paths.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "foreman-git-")));
  const work = path.join(root, "work");
  fs.mkdirSync(work);
  git(work, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(work, "README.md"), "# test\n");
  git(work, "add", "README.md");
  git(work, "commit", "-q", "-m", "first");
  git(work, "branch", "dev");

  const bare = path.join(root, "bare.git");
  git(root, "clone", "-q", "--bare", work, bare);
  git(bare, "symbolic-ref", "HEAD", "refs/heads/dev");

  const empty = path.join(root, "empty");
  fs.mkdirSync(empty);
  git(empty, "init", "-q", "-b", "main");

  const plain = path.join(root, "plain");
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(root, "file.txt"), "not a folder\n");

  return {
    root,
    work,
    bare,
    bareUrl: `file://${bare}`,
    empty,
    plain,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
