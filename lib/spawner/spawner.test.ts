// The spawner: commands start from the small helper process (and, with FOREMAN_SPAWNER=off, from this one)
// with the same behaviour: output streamed, exit codes, stdin, start failures, kills of the whole group.
// The helper dying fails what was in flight and kills it; the next spawn starts a new helper. Run folders are
// removed by the helper too (removeTree), links inside removed and never followed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runBash } from "@/lib/engine/tools/bash";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { openSandbox } from "@/lib/sandbox/sandbox";
import { resetSandboxStatus } from "@/lib/sandbox/status";
import { alive } from "@/lib/testing/processes";
import { SpawnerStoppedError, spawnerPid } from "./remote";
import { removeTree, type SpawnedProcess, spawnProcess } from "./spawn";

const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C" };
const sh = (script: string, detached = true) =>
  spawnProcess("/bin/sh", ["-c", script], {
    cwd: os.tmpdir(),
    env: ENV,
    detached,
    stdio: ["ignore", "pipe", "pipe"],
  });

/** Output per stream, when each chunk came, and how the process ended. */
function collect(child: SpawnedProcess) {
  const out: { fd: number; text: string; at: number }[] = [];
  child.stdout?.on("data", (chunk: Buffer) => out.push({ fd: 1, text: chunk.toString(), at: Date.now() }));
  child.stderr?.on("data", (chunk: Buffer) => out.push({ fd: 2, text: chunk.toString(), at: Date.now() }));
  const errors: NodeJS.ErrnoException[] = [];
  child.on("error", (error) => errors.push(error));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const text = (fd: number) =>
    out
      .filter((chunk) => chunk.fd === fd)
      .map((chunk) => chunk.text)
      .join("");
  return { out, errors, closed, text };
}

const marker = () => String(7000 + Math.floor(Math.random() * 2000));
const pidOf = async (child: SpawnedProcess) => {
  await expect.poll(() => child.pid, { timeout: 5_000 }).toBeGreaterThan(0);
  return child.pid as number;
};
/** A run-like folder: files, nested folders, and links to a file and a folder outside it. */
function folderWithLinksOut() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-rm-"));
  const outside = path.join(base, "outside");
  fs.mkdirSync(path.join(outside, "keep"), { recursive: true });
  fs.writeFileSync(path.join(outside, "keep", "file.txt"), "keep me");
  const target = path.join(base, "run");
  fs.mkdirSync(path.join(target, "repo", "src", "deep"), { recursive: true });
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(target, "repo", "src", `f${i}.txt`), `${i}`);
  fs.symlinkSync(path.join(outside, "keep"), path.join(target, "repo", "dir-link"));
  fs.symlinkSync(
    path.join(outside, "keep", "file.txt"),
    path.join(target, "repo", "src", "deep", "file-link"),
  );
  return { base, target, kept: path.join(outside, "keep", "file.txt") };
}

/** The parent of a host process, from /proc. */
const parentOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
};

afterEach(() => {
  delete process.env.FOREMAN_SPAWNER;
});

describe.each(["on", "off"])("FOREMAN_SPAWNER=%s", (mode) => {
  const use = () => {
    process.env.FOREMAN_SPAWNER = mode;
  };

  it("streams stdout and stderr as they are written, and reports the exit code", async () => {
    use();
    const run = collect(sh("echo first; sleep 0.4; echo second; echo oops >&2; exit 3"));
    const ended = await run.closed;
    expect(run.text(1)).toBe("first\nsecond\n");
    expect(run.text(2)).toBe("oops\n");
    expect(ended.code).toBe(3);
    // "first" arrived while the command was still running, not all at the end.
    const first = run.out.find((chunk) => chunk.text.includes("first"));
    expect(ended.at - (first?.at ?? ended.at)).toBeGreaterThan(250);
    expect(run.errors).toEqual([]);
  });

  it("writes the caller's stdin and passes only the environment it names", async () => {
    use();
    process.env.FOREMAN_SPAWNER_TEST_SECRET = "do-not-leak";
    try {
      const child = spawnProcess("/bin/sh", ["-c", "cat; env"], {
        cwd: os.tmpdir(),
        env: { ...ENV, GIVEN: "yes" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      const run = collect(child);
      child.stdin?.end("from stdin\n");
      expect((await run.closed).code).toBe(0);
      expect(run.text(1)).toContain("from stdin\n");
      expect(run.text(1)).toContain("GIVEN=yes");
      expect(run.text(1)).not.toContain("do-not-leak");
    } finally {
      delete process.env.FOREMAN_SPAWNER_TEST_SECRET;
    }
  });

  it("reports a program that can't start as an ENOENT error, then closes", async () => {
    use();
    const run = collect(
      spawnProcess("/nonexistent/program", [], {
        cwd: os.tmpdir(),
        env: ENV,
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    await run.closed;
    expect(run.errors[0]?.code).toBe("ENOENT");
  });

  it("killGroup ends the command and everything it started (timeouts and aborts use it)", async () => {
    use();
    const m = marker();
    const child = sh(`sleep ${m} & trap '' TERM; sleep ${m}`);
    const run = collect(child);
    await pidOf(child);
    await expect.poll(() => alive(`sleep ${m}`), { timeout: 5_000 }).toBe(true);
    const started = Date.now();
    await child.killGroup(300); // the shell ignores SIGTERM: SIGKILL after the grace period
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(alive(`sleep ${m}`)).toBe(false);
    expect((await run.closed).signal).toBe("SIGKILL");
  });

  it("removeTree removes a folder and all it holds; links inside go, what they point to stays", async () => {
    use();
    const { base, target, kept } = folderWithLinksOut();
    await removeTree(target);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readFileSync(kept, "utf8")).toBe("keep me");
    await removeTree(target); // already gone: nothing to do
    await expect(removeTree("relative/run")).rejects.toThrow(/absolute path/);
    await expect(removeTree("/")).rejects.toThrow(/absolute path below \//);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("kill sends a signal to the process's group", async () => {
    use();
    const child = sh("sleep 30");
    const run = collect(child);
    await pidOf(child);
    child.kill("SIGTERM");
    expect((await run.closed).signal).toBe("SIGTERM");
  });
});

describe("the spawner process", () => {
  it("is a small process of its own with none of the server's environment", async () => {
    process.env.FOREMAN_SPAWNER_TEST_SECRET = "do-not-leak";
    try {
      const run = collect(sh("echo hi"));
      await run.closed;
      const pid = spawnerPid() as number;
      expect(pid).not.toBe(process.pid);
      expect(fs.readFileSync(`/proc/${pid}/environ`, "utf8")).not.toContain("do-not-leak");
    } finally {
      delete process.env.FOREMAN_SPAWNER_TEST_SECRET;
    }
  });

  it("when it dies, in-flight commands fail with a clear error and are killed; the next spawn restarts it", async () => {
    const m = marker();
    const child = sh(`sleep ${m}`);
    const run = collect(child);
    await pidOf(child);
    await expect.poll(() => alive(`sleep ${m}`), { timeout: 5_000 }).toBe(true);
    const before = spawnerPid() as number;
    process.kill(before, "SIGKILL");
    const ended = await run.closed;
    expect(ended.signal).toBe("SIGKILL");
    expect(run.errors[0]).toBeInstanceOf(SpawnerStoppedError);
    expect(run.errors[0]?.message).toMatch(/process spawner stopped \(SIGKILL\)/);
    await expect.poll(() => alive(`sleep ${m}`), { timeout: 5_000 }).toBe(false);

    const again = collect(sh("echo back"));
    expect((await again.closed).code).toBe(0);
    expect(again.text(1)).toBe("back\n");
    expect(spawnerPid()).not.toBe(before);
  });

  it("removes a folder on request, and refuses a relative path or the root", async () => {
    const { base, target, kept } = folderWithLinksOut();
    const helper = spawn(process.execPath, [path.join(import.meta.dirname, "spawner-process.mjs")], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let replies = "";
    helper.stdout.on("data", (chunk: Buffer) => {
      replies += chunk;
    });
    for (const [id, at] of [
      [1, target],
      [2, "run"],
      [3, "/"],
    ] as const)
      helper.stdin.write(`${JSON.stringify({ t: "remove", id, path: at })}\n`);
    await expect.poll(() => replies.trim().split("\n").length, { timeout: 5_000 }).toBe(3);
    const byId = new Map(
      replies
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { t: string; id: number; message?: string })
        .map((reply) => [reply.id, reply]),
    );
    expect(byId.get(1)).toEqual({ t: "removed", id: 1 });
    expect(byId.get(2)?.message).toMatch(/refusing to remove "run": not an absolute folder/);
    expect(byId.get(3)?.message).toMatch(/refusing to remove "\/"/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readFileSync(kept, "utf8")).toBe("keep me");
    expect(fs.existsSync("/bin/sh")).toBe(true);
    helper.stdin.end();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("a folder whose removal the dying helper never answered is removed here", async () => {
    const { base, target } = folderWithLinksOut();
    await collect(sh("true")).closed; // the helper is running
    process.kill(spawnerPid() as number, "SIGKILL");
    await removeTree(target);
    expect(fs.existsSync(target)).toBe(false);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("ends the commands it started when the server goes (its stdin closes), then exits", async () => {
    const m = marker();
    const helper = spawn(process.execPath, [path.join(import.meta.dirname, "spawner-process.mjs")], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => helper.on("exit", resolve));
    let replies = "";
    helper.stdout.on("data", (chunk: Buffer) => {
      replies += chunk;
    });
    const request = { t: "spawn", id: 1, file: "/bin/sh", args: ["-c", `sleep ${m}`], cwd: "/", env: ENV };
    helper.stdin.write(
      `${JSON.stringify({ ...request, detached: true, stdio: ["ignore", "pipe", "pipe"] })}\n`,
    );
    await expect.poll(() => replies, { timeout: 5_000 }).toMatch(/"t":"spawned","id":1,"pid":\d+/);
    await expect.poll(() => alive(`sleep ${m}`), { timeout: 5_000 }).toBe(true);
    helper.stdin.end();
    await exited;
    await expect.poll(() => alive(`sleep ${m}`), { timeout: 5_000 }).toBe(false);
  });
});

describe("sandboxed commands", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    resetSandboxStatus();
  });

  it("start from the spawner, in the sandbox", async () => {
    resetSandboxStatus();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-spawner-state-"));
    const workTree = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-spawner-work-"));
    dirs.push(stateDir, workTree);
    const sandbox = await openSandbox({
      stateDir,
      workTree,
      network: "none",
      allowedHosts: [],
      limits: DEFAULT_SANDBOX_LIMITS,
    });
    try {
      expect(sandbox.record.mode).toBe("bwrap");
      const started = await sandbox.launch("pwd; id -u; sleep 0.5");
      const pid = await pidOf(started.child);
      expect(parentOf(pid)).toBe(spawnerPid());
      let output = "";
      started.child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk;
      });
      await new Promise((resolve) => started.child.on("close", resolve));
      await started.cleanup?.();
      expect(output).toBe("/workspace\n1000\n");

      const result = await runBash({ command: "echo hi; exit 4", sandbox });
      expect(result).toMatchObject({ output: "hi\n", exitCode: 4, timedOut: false });
    } finally {
      await sandbox.close();
    }
  });
});
