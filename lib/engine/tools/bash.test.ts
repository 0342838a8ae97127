// The command runner, through both kinds of sandbox: bubblewrap (the default) and the bare one an admin
// gets with FOREMAN_SANDBOX=off. Real processes; "alive" is asked of the host's process table.
import { randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { openSandbox, type Sandbox } from "@/lib/sandbox/sandbox";
import { resetSandboxStatus, sandboxStatus } from "@/lib/sandbox/status";
import { alive } from "@/lib/testing/processes";
import { formatBashResult, gitIdentityEnv, runBash } from "./bash";

/** A `sleep` only this test starts, so pgrep finds exactly it. */
const uniqueSleep = () => `sleep ${randomInt(100_000, 999_999)}`;

describe.each(["bwrap", "off"] as const)("runBash in the %s sandbox", (mode) => {
  let dir: string;
  let workTree: string;
  let sandbox: Sandbox;
  beforeAll(async () => {
    if (mode === "off") process.env.FOREMAN_SANDBOX = "off";
    resetSandboxStatus();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bash-test-")));
    workTree = path.join(dir, "repo");
    fs.mkdirSync(workTree);
    sandbox = await openSandbox({
      stateDir: dir,
      workTree,
      network: "none",
      allowedHosts: [],
      limits: DEFAULT_SANDBOX_LIMITS,
      env: gitIdentityEnv({ authorName: "Agent Smith", authorEmail: "agent@example.com" }),
    });
  });
  afterAll(async () => {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env.FOREMAN_SANDBOX;
    resetSandboxStatus();
  });

  it("runs in the repository and interleaves stdout and stderr in write order", async () => {
    const result = await runBash({
      sandbox,
      command: "pwd; echo out1; echo err1 >&2; echo out2; echo err2 1>&2",
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe(`${sandbox.repoPath}\nout1\nerr1\nout2\nerr2\n`);
    expect(sandbox.repoPath).toBe(mode === "bwrap" ? "/workspace" : workTree);
    expect(result).toMatchObject({ timedOut: false, cancelled: false, truncated: false, signal: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("reports exit codes", async () => {
    expect((await runBash({ sandbox, command: "exit 3" })).exitCode).toBe(3);
    expect((await runBash({ sandbox, command: "false" })).exitCode).toBe(1);
    const missing = await runBash({ sandbox, command: "definitely-not-a-command-xyz" });
    expect(missing.exitCode).toBe(127);
    expect(missing.output).toContain("definitely-not-a-command-xyz");
    expect(missing.output).toContain("not found");
    expect(formatBashResult(missing)).toMatch(/\[exit code 127\]$/);
  });

  it("never passes the server's secrets to the command: the environment is an allowlist", async () => {
    const secrets = {
      ANTHROPIC_API_KEY: "sk-ant-secret-1",
      DATABASE_URL: "postgres://secret-2@db/foreman",
      AUTH_SECRET: "secret-3",
      AUTH_GITHUB_SECRET: "secret-5",
      SOME_OTHER_TOKEN: "secret-6",
      NODE_OPTIONS: "--secret-7",
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((k) => [k, process.env[k]]));
    Object.assign(process.env, secrets);
    try {
      const result = await runBash({ sandbox, command: "env" });
      expect(result.exitCode).toBe(0);
      for (const [name, value] of Object.entries(secrets)) {
        expect(result.output).not.toContain(value);
        expect(result.output).not.toMatch(new RegExp(`^${name}=`, "m"));
      }
      const env = Object.fromEntries(
        result.output
          .trim()
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
      expect(env).toMatchObject({ TERM: "dumb", CI: "true", GIT_AUTHOR_NAME: "Agent Smith" });
      expect(env.GIT_COMMITTER_EMAIL).toBe("agent@example.com");
      for (const name of ["PATH", "LANG", "TMPDIR", "HOME"]) expect(env[name], name).toBeTruthy();
      // HOME is private to the run and outside the repository: dotfiles never land in the diff.
      expect(env.HOME?.startsWith(sandbox.repoPath)).toBe(false);
      expect(
        (await runBash({ sandbox, command: 'test -d "$HOME" && test -w "$HOME" && echo ok' })).output,
      ).toBe("ok\n");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("kills everything on timeout, background grandchildren included", async () => {
    const sleeper = uniqueSleep();
    const started = Date.now();
    const result = await runBash({
      sandbox,
      command: `${sleeper} & wait`,
      timeoutMs: 500,
      killGraceMs: 1_000,
    });
    expect(result.timedOut).toBe(true);
    expect(result.cancelled).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(alive(sleeper)).toBe(false);
    expect(formatBashResult(result, 500)).toContain("timed out");
  });

  it("ends a command that ignores SIGTERM", async () => {
    const sleeper = uniqueSleep();
    const result = await runBash({
      sandbox,
      command: `trap '' TERM; bash -c "trap '' TERM; ${sleeper}" & wait`,
      timeoutMs: 300,
      killGraceMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(alive(sleeper)).toBe(false);
  });

  it("an abort ends `sleep` within about 2 s and leaves no process behind", async () => {
    const sleeper = uniqueSleep();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runBash({ sandbox, command: `${sleeper} & ${sleeper}`, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ cancelled: true, timedOut: false, exitCode: null });
    expect(alive(sleeper)).toBe(false);
  });

  it("an already-aborted signal runs nothing", async () => {
    const result = await runBash({ sandbox, command: "touch should-not-exist", signal: AbortSignal.abort() });
    expect(result.cancelled).toBe(true);
    expect(fs.existsSync(path.join(workTree, "should-not-exist"))).toBe(false);
  });

  it("does not leave background processes running after the command returns", async () => {
    const sleeper = uniqueSleep();
    const result = await runBash({ sandbox, command: `${sleeper} >/dev/null 2>&1 & echo started` });
    expect(result.exitCode).toBe(0);
    expect(alive(sleeper)).toBe(false);
  });

  it("caps the output, keeping its head and tail and saying how much was cut", async () => {
    // 5000 lines "line-00001" … "line-05000": 11 bytes each, 55000 bytes in all.
    const result = await runBash({
      sandbox,
      command: "for i in $(seq 1 5000); do printf 'line-%05d\\n' $i; done",
      maxOutputBytes: 2_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.output.startsWith("line-00001\nline-00002\n")).toBe(true);
    expect(result.output.endsWith("line-04999\nline-05000\n")).toBe(true);
    expect(result.output).toContain("[… 53000 bytes of output cut …]");
    expect(result.output).not.toContain("line-02500");
    expect(result.output.length).toBeLessThan(2_100);
  });

  it("keeps output just under the cap whole", async () => {
    const result = await runBash({ sandbox, command: "printf '%0100d' 0", maxOutputBytes: 100 });
    expect(result.truncated).toBe(false);
    expect(result.output).toBe("0".repeat(100));
  });

  it("gives commands no stdin, so reading it doesn't hang", async () => {
    const result = await runBash({ sandbox, command: "cat; echo done", timeoutMs: 5_000 });
    expect(result.timedOut).toBe(false);
    expect(result.output).toBe("done\n");
  });
});

describe("a sandbox program that can't start", () => {
  it("is reported as the command's error, not thrown", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bash-test-"));
    resetSandboxStatus();
    await sandboxStatus(); // bubblewrap is there when the status is read; it goes missing afterwards
    process.env.FOREMAN_BWRAP = "/nonexistent/bwrap";
    const sandbox = await openSandbox({
      stateDir: dir,
      workTree: dir,
      network: "none",
      allowedHosts: [],
      limits: DEFAULT_SANDBOX_LIMITS,
    });
    try {
      const result = await runBash({ sandbox, command: "true" });
      // Spawned directly: a spawn error. As root, through the pids cgroup's `sh` wrapper: its exec fails (127).
      if (result.exitCode === null) expect(result.error).toMatch(/Could not start the command: .*ENOENT/);
      else expect(result.exitCode).toBe(127);
    } finally {
      delete process.env.FOREMAN_BWRAP;
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
