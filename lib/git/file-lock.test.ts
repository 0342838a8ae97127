import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withCloneLock } from "./clone";
import { withFileLock } from "./file-lock";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-lock-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** Another process holding the clone's lock for `holdMs`; resolves once it holds it, with when it lets go. */
function holdInAnotherProcess(lockPath: string, holdMs: number) {
  const module = path.resolve(__dirname, "file-lock.ts");
  const code = `
    const { withFileLock } = await import(${JSON.stringify(module)});
    await withFileLock(${JSON.stringify(lockPath)}, async () => {
      console.log("held");
      await new Promise((resolve) => setTimeout(resolve, ${holdMs}));
      console.log("end " + Date.now());
    });`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const held = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("held")) resolve();
    });
    child.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`holder exited ${code}`))));
  });
  const ended = new Promise<number>((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0 ? resolve(Number(/end (\d+)/.exec(out)?.[1])) : reject(new Error(`holder exited ${code}`)),
    ),
  );
  return { held, ended };
}

describe("the clone lock across processes", () => {
  it("withCloneLock waits while another process (the worker, the web server) works on the same clone", async () => {
    const clone = path.join(dir, "repo.git");
    const holder = holdInAnotherProcess(`${clone}.lock`, 600);
    await holder.held;
    let startedAt = 0;
    await withCloneLock(clone, async () => {
      startedAt = Date.now();
    });
    expect(startedAt).toBeGreaterThanOrEqual(await holder.ended);
    // Released: nothing is left beside the clone.
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 30_000);

  it("takes over a lock whose holder died (untouched for longer than a live holder ever leaves it)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const lock = path.join(dir, "repo.git.lock");
    fs.mkdirSync(lock);
    const longAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, longAgo, longAgo);
    const started = Date.now();
    expect(await withFileLock(lock, async () => "ran")).toBe("ran");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("its holder stopped"));
  });

  it("takes over at once a lock left by a process that no longer exists (a restart after a kill)", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const lock = path.join(dir, "repo.git.lock");
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => gone.on("exit", resolve));
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, "owner"), `${gone.pid}:its-token`);
    const started = Date.now();
    expect(await withFileLock(lock, async () => "ran")).toBe("ran");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a holder that lost its lock to a takeover leaves the new holder's lock in place", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const lock = path.join(dir, "repo.git.lock");
    await withFileLock(lock, async () => {
      // What a takeover followed by a new holder looks like from here.
      fs.writeFileSync(path.join(lock, "owner"), "someone else");
    });
    expect(fs.readFileSync(path.join(lock, "owner"), "utf8")).toBe("someone else");
  });

  it("in one process, callers queue: one at a time, in order", async () => {
    const clone = path.join(dir, "repo.git");
    const order: string[] = [];
    let inside = 0;
    await Promise.all(
      ["a", "b", "c"].map((name) =>
        withCloneLock(clone, async () => {
          inside += 1;
          expect(inside).toBe(1);
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push(name);
          inside -= 1;
        }),
      ),
    );
    expect(order).toEqual(["a", "b", "c"]);
  });
});
