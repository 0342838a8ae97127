import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBashResult, gitIdentityEnv, runBash } from "./bash";

let worktree: string;
beforeAll(() => {
  worktree = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bash-test-"));
});
afterAll(() => {
  fs.rmSync(worktree, { recursive: true, force: true });
});

/** Alive as far as the kernel is concerned: `kill -0` succeeds and it isn't a zombie awaiting reaping. */
function alive(pid: number): boolean {
  try {
    execFileSync("bash", ["-c", `kill -0 ${pid}`], { stdio: "ignore" });
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true;
  }
}

describe("runBash", () => {
  it("runs in the worktree and interleaves stdout and stderr in write order", async () => {
    const result = await runBash({
      command: "pwd; echo out1; echo err1 >&2; echo out2; echo err2 1>&2",
      cwd: worktree,
      timeoutMs: 10_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe(`${fs.realpathSync(worktree)}\nout1\nerr1\nout2\nerr2\n`);
    expect(result.timedOut).toBe(false);
    expect(result.cancelled).toBe(false);
    expect(result.truncated).toBe(false);
    expect(result.signal).toBeNull();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("reports exit codes", async () => {
    expect((await runBash({ command: "exit 3", cwd: worktree })).exitCode).toBe(3);
    expect((await runBash({ command: "false", cwd: worktree })).exitCode).toBe(1);
    const missing = await runBash({ command: "definitely-not-a-command-xyz", cwd: worktree });
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
      AUTH_GITHUB_ID: "secret-4",
      AUTH_GITHUB_SECRET: "secret-5",
      SOME_OTHER_TOKEN: "secret-6",
      NODE_OPTIONS: "--secret-7",
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((k) => [k, process.env[k]]));
    Object.assign(process.env, secrets);
    try {
      const result = await runBash({
        command: "env",
        cwd: worktree,
        extraEnv: gitIdentityEnv({ authorName: "Agent Smith", authorEmail: "agent@example.com" }),
      });
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
      expect(env.TERM).toBe("dumb");
      expect(env.CI).toBe("true");
      expect(env.PATH).toBeTruthy();
      expect(env.LANG).toBeTruthy();
      expect(env.TMPDIR).toBeTruthy();
      expect(env.HOME).toBeTruthy();
      expect(env.HOME?.startsWith(worktree)).toBe(false);
      expect(fs.statSync(env.HOME ?? "").isDirectory()).toBe(true);
      expect(env.GIT_AUTHOR_NAME).toBe("Agent Smith");
      expect(env.GIT_COMMITTER_EMAIL).toBe("agent@example.com");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("uses the HOME it is given", async () => {
    const home = path.join(worktree, ".home-for-test");
    const result = await runBash({ command: 'echo "$HOME"', cwd: worktree, home });
    expect(result.output.trim()).toBe(home);
  });

  it("kills the whole process group on timeout, background grandchildren included", async () => {
    const started = Date.now();
    const result = await runBash({
      command: "sleep 30 & echo $!; wait",
      cwd: worktree,
      timeoutMs: 500,
      killGraceMs: 1_000,
    });
    const elapsed = Date.now() - started;
    expect(result.timedOut).toBe(true);
    expect(result.cancelled).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe("SIGTERM");
    expect(elapsed).toBeLessThan(3_000);
    const pid = Number(result.output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(formatBashResult(result, 500)).toContain("timed out");
  });

  it("escalates to SIGKILL when the group ignores SIGTERM", async () => {
    const result = await runBash({
      command: "trap '' TERM; bash -c 'trap \"\" TERM; sleep 30' & echo $!; wait",
      cwd: worktree,
      timeoutMs: 300,
      killGraceMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    expect(alive(Number(result.output.trim()))).toBe(false);
  });

  it("an abort ends `sleep 30` within about 2 s and leaves no process behind", async () => {
    const controller = new AbortController();
    const pidFile = path.join(worktree, "sleep.pid");
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runBash({
      command: `sleep 30 & echo $! > ${pidFile}; sleep 30`,
      cwd: worktree,
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(alive(Number(fs.readFileSync(pidFile, "utf8").trim()))).toBe(false);
  });

  it("an already-aborted signal runs nothing", async () => {
    const marker = path.join(worktree, "should-not-exist");
    const result = await runBash({ command: `touch ${marker}`, cwd: worktree, signal: AbortSignal.abort() });
    expect(result.cancelled).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("does not leave background processes running after the command returns", async () => {
    const result = await runBash({ command: "sleep 30 >/dev/null 2>&1 & echo $!", cwd: worktree });
    expect(result.exitCode).toBe(0);
    expect(alive(Number(result.output.trim()))).toBe(false);
  });

  it("caps the output, keeping its head and tail and saying how much was cut", async () => {
    // 5000 lines "line-00001" … "line-05000": 11 bytes each, 55000 bytes in all.
    const result = await runBash({
      command: "for i in $(seq 1 5000); do printf 'line-%05d\\n' $i; done",
      cwd: worktree,
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
    const result = await runBash({ command: "printf '%0100d' 0", cwd: worktree, maxOutputBytes: 100 });
    expect(result.truncated).toBe(false);
    expect(result.output).toBe("0".repeat(100));
  });

  it("reports a missing working directory instead of throwing", async () => {
    const result = await runBash({ command: "true", cwd: path.join(worktree, "nope") });
    expect(result.error).toMatch(/does not exist/);
    expect(result.exitCode).toBeNull();
  });

  it("gives commands no stdin, so reading it doesn't hang", async () => {
    const result = await runBash({ command: "cat; echo done", cwd: worktree, timeoutMs: 5_000 });
    expect(result.timedOut).toBe(false);
    expect(result.output).toBe("done\n");
  });
});
