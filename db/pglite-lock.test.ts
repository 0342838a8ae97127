import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquirePgliteLock, DatabaseInUseError } from "./pglite-lock";

describe("the embedded database lock", () => {
  it("refuses a second holder while the first lives, even one that renamed itself", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-lock-"));
    // A live process that changes its title, as `next start` does ("next-server (v16)").
    const holder = spawn(process.execPath, [
      "-e",
      "process.title='next-server'; setTimeout(() => {}, 60000)",
    ]);
    await new Promise((r) => setTimeout(r, 300));
    const ticks = fs.readFileSync(`/proc/${holder.pid}/stat`, "utf8");
    const start = ticks.slice(ticks.lastIndexOf(")") + 2).split(" ")[19];
    fs.writeFileSync(
      path.join(dir, "pglite.lock"),
      JSON.stringify({ pid: holder.pid, command: "next start", since: "now", startTicks: start }),
    );
    expect(() => acquirePgliteLock(dir)).toThrow(DatabaseInUseError);
    expect(() => acquirePgliteLock(dir)).toThrow(/in use by another Foreman process \(pid \d+, "next start"/);
    holder.kill("SIGKILL");
    await new Promise((r) => holder.on("exit", r));
    // The holder died without cleaning up: the stale lock is taken over.
    const release = acquirePgliteLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "pglite.lock"), "utf8")).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(path.join(dir, "pglite.lock"))).toBe(false);
  });
});
