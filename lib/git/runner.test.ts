// The one git runner against a repository an agent could have written: its config and hooks never run a
// program, a bare repository planted in a work tree is never picked up, the server's secrets never reach
// git, and a git that hangs is killed with what it started. Each attack is first shown to work with
// plain git, so the tests prove the runner is what stops it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GitError, git, runGit } from "./runner";

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "foreman-runner-")));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// Plain git, as a person (or an agent) would run it: discovery from the folder, the repository's own
// config and hooks. HOME points at an empty folder so the server user's config doesn't change the result.
const plainEnv = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: "1" };
function plainGit(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
    cwd,
    env: plainEnv,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function script(file: string, marker: string) {
  fs.writeFileSync(file, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
}

/** A repository whose config and hooks folder run programs that leave a marker file when they run. */
function trappedRepository(name: string) {
  const dir = path.join(root, name);
  const markers = path.join(root, `${name}-markers`);
  fs.mkdirSync(path.join(dir, "hooks"), { recursive: true });
  fs.mkdirSync(markers);
  plainGit(dir, "init", "-q", "-b", "main");
  script(path.join(root, `${name}-fsmonitor.sh`), path.join(markers, "fsmonitor"));
  for (const hook of ["pre-commit", "post-commit", "commit-msg"]) {
    script(path.join(dir, "hooks", hook), path.join(markers, hook));
  }
  plainGit(dir, "config", "core.fsmonitor", path.join(root, `${name}-fsmonitor.sh`));
  plainGit(dir, "config", "core.hooksPath", path.join(dir, "hooks"));
  fs.writeFileSync(path.join(dir, "file.txt"), "one\n");
  return { dir, gitDir: path.join(dir, ".git"), ran: () => fs.readdirSync(markers).sort() };
}

const identity = {
  GIT_AUTHOR_NAME: "Foreman",
  GIT_AUTHOR_EMAIL: "foreman@localhost",
  GIT_COMMITTER_NAME: "Foreman",
  GIT_COMMITTER_EMAIL: "foreman@localhost",
};

describe("the git runner", () => {
  it("never runs the repository's fsmonitor or hooks", async () => {
    const repo = trappedRepository("trapped");
    const where = { gitDir: repo.gitDir, workTree: repo.dir };
    await git(["status", "--porcelain"], where);
    await git(["add", "--all"], where);
    await git(["commit", "--quiet", "-m", "first"], { ...where, env: identity });
    fs.writeFileSync(path.join(repo.dir, "file.txt"), "two\n");
    await git(["status", "--porcelain"], where);
    await git(["commit", "--quiet", "--all", "-m", "second"], { ...where, env: identity });
    expect((await git(["log", "--format=%s"], where)).stdout).toBe("second\nfirst\n");
    expect(repo.ran()).toEqual([]);

    // The same repository with plain git runs all of them.
    plainGit(repo.dir, "status", "--porcelain");
    expect(repo.ran()).toEqual(["fsmonitor"]);
    fs.writeFileSync(path.join(repo.dir, "file.txt"), "three\n");
    expect(() => plainGit(repo.dir, "commit", "--quiet", "--all", "-m", "third")).toThrow();
    expect(repo.ran()).toEqual(["fsmonitor", "pre-commit"]);
  });

  it("doesn't pick up a bare repository planted in a work tree; an explicit --git-dir still works", async () => {
    const work = path.join(root, "work");
    fs.mkdirSync(work);
    plainGit(work, "init", "-q", "-b", "main");
    const planted = path.join(work, "planted.git");
    plainGit(work, "init", "-q", "--bare", planted);
    expect(plainGit(planted, "rev-parse", "--git-dir").trim()).toBe(".");

    const found = await runGit(["rev-parse", "--git-dir"], { cwd: planted });
    expect(found.code).not.toBe(0);
    expect(found.stderr).toMatch(/cannot use bare repository/);
    const explicit = await git(["rev-parse", "--is-bare-repository"], { gitDir: planted });
    expect(explicit.stdout.trim()).toBe("true");
  });

  it("keeps the server's secrets out of git and the programs it starts", async () => {
    const secrets = {
      AUTH_SECRET: "auth-secret-value",
      DATABASE_URL: "postgres://user:db-password@db/foreman",
      ANTHROPIC_API_KEY: "sk-ant-secret",
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((name) => [name, process.env[name]]));
    Object.assign(process.env, secrets);
    try {
      // A `!` alias runs a shell with git's environment: what a hook or helper would see.
      const { stdout } = await git(["-c", "alias.env=!env", "env"]);
      expect(stdout).toMatch(/^PATH=/m);
      expect(stdout).toMatch(/^GIT_TERMINAL_PROMPT=0$/m);
      for (const [name, value] of Object.entries(secrets)) {
        expect(stdout).not.toContain(name);
        expect(stdout).not.toContain(value);
      }
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("kills git and what it started when it times out", async () => {
    const started = Date.now();
    // The shell prints the pid of its background sleep, then waits for it.
    const exit = await runGit(["-c", "alias.s=!sleep 30 & echo $!; wait", "s"], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(exit).toMatchObject({ timedOut: true, code: null, missing: false });
    const sleeper = Number(exit.stdout.trim());
    expect(sleeper).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isRunning(sleeper)).toBe(false);
    expect(new GitError("git s", exit).message).toBe("git s failed: timed out");
  });

  it("reports a failure with git's own words", async () => {
    const exit = await runGit(["rev-parse", "--verify", "no-such-ref"], {
      gitDir: path.join(root, "nowhere"),
    });
    expect(exit.code).not.toBe(0);
    await expect(git(["log"], { gitDir: path.join(root, "nowhere") })).rejects.toThrow(
      /^git log failed: fatal: not a git repository/,
    );
  });
});

/** A killed process may linger as a zombie until its new parent reaps it: that counts as not running. */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    if (fs.existsSync("/proc/self")) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}
