// Can this machine confine agent commands? Decided once per process: bubblewrap must be installed and
// able to make its namespaces (unprivileged user namespaces on). Where it can't, runs are refused unless
// an admin turned the sandbox off with FOREMAN_SANDBOX=off — never a silent downgrade.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { conflict } from "@/lib/errors";
import { systemBinds } from "./system";

export type SandboxStatus =
  | { mode: "bwrap"; version: string; processLimit: "rlimit" | "cgroup" | "none" }
  | { mode: "off" }
  | { mode: "unavailable"; reason: string };

/** Raised when a run can't start because no sandbox can be made; the message says what to do. */
export class SandboxUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `Runs are refused: ${reason} Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) with unprivileged user namespaces on, or, if you accept that agents' commands run with the server's rights, set FOREMAN_SANDBOX=off.`,
    );
    this.name = "SandboxUnavailableError";
  }
}

export const bwrapPath = () => process.env.FOREMAN_BWRAP ?? "bwrap";

/** The smallest sandbox the real ones are made like: if this runs, they can too. */
export const probeArgs = () => [
  "--unshare-all",
  "--die-with-parent",
  "--new-session",
  "--uid",
  "1000",
  ...systemBinds(),
  "--proc",
  "/proc",
  "--dev",
  "/dev",
  "--",
  "/bin/true",
];

function exec(file: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: 10_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } as unknown as NodeJS.ProcessEnv },
      (error, stdout, stderr) =>
        resolve({ ok: !error, out: `${stdout}${stderr}`.trim() || (error?.message ?? "") }),
    );
  });
}

/** Every way of queueing a run checks this first: without a sandbox (and no opt-out) nothing is queued. */
export async function assertRunsCanStart(): Promise<void> {
  const status = await sandboxStatus();
  if (status.mode === "unavailable") throw conflict(new SandboxUnavailableError(status.reason).message);
}

let cached: Promise<SandboxStatus> | undefined;

export function sandboxStatus(): Promise<SandboxStatus> {
  cached ??= detect();
  return cached;
}

/** For tests that switch FOREMAN_SANDBOX. */
export function resetSandboxStatus() {
  cached = undefined;
}

async function detect(): Promise<SandboxStatus> {
  if (process.env.FOREMAN_SANDBOX === "off") return { mode: "off" };
  if (process.platform !== "linux") {
    return {
      mode: "unavailable",
      reason: `the sandbox needs Linux namespaces, and this is ${process.platform}.`,
    };
  }
  const version = await exec(bwrapPath(), ["--version"]);
  if (!version.ok) return { mode: "unavailable", reason: `bubblewrap (${bwrapPath()}) is not installed.` };
  const probe = await exec(bwrapPath(), probeArgs());
  if (!probe.ok) {
    return {
      mode: "unavailable",
      reason: `bubblewrap can't make a sandbox here (${probe.out.split("\n")[0]}).`,
    };
  }
  return {
    mode: "bwrap",
    version: version.out.replace(/^bubblewrap\s*/, ""),
    processLimit: processLimitKind(),
  };
}

/** The kernel never applies RLIMIT_NPROC to root: as root, the process count needs a pids cgroup. */
function processLimitKind(): "rlimit" | "cgroup" | "none" {
  if (process.getuid?.() !== 0) return "rlimit";
  return pidsCgroupRoot() ? "cgroup" : "none";
}

let pidsRoot: string | null | undefined;

/** A folder of the pids controller where this process may make child groups, or null. */
export function pidsCgroupRoot(): string | null {
  if (pidsRoot !== undefined) return pidsRoot;
  pidsRoot = null;
  for (const candidate of ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"]) {
    try {
      if (candidate === "/sys/fs/cgroup") {
        const controllers = fs.readFileSync("/sys/fs/cgroup/cgroup.subtree_control", "utf8");
        if (!controllers.split(/\s+/).includes("pids")) continue;
      }
      const dir = `${candidate}/foreman-${process.pid}`;
      fs.mkdirSync(dir, { recursive: true });
      if (!fs.existsSync(`${dir}/pids.max`)) {
        fs.rmdirSync(dir);
        continue;
      }
      pidsRoot = dir;
      process.once("exit", () => {
        try {
          fs.rmdirSync(dir);
        } catch {}
      });
      break;
    } catch {}
  }
  return pidsRoot;
}

export function describeSandbox(status: SandboxStatus): string {
  switch (status.mode) {
    case "bwrap":
      return `sandbox: bubblewrap ${status.version} — every agent, setup and test command is confined${
        status.processLimit === "none"
          ? " (the process-count limit is not enforced: root without a pids cgroup)"
          : ""
      }`;
    case "off":
      return "sandbox: OFF (FOREMAN_SANDBOX=off) — agents' commands run unconfined with the server's rights; every run is marked unsandboxed";
    case "unavailable":
      return `sandbox: unavailable — ${status.reason} Runs are refused until it is installed (or FOREMAN_SANDBOX=off).`;
  }
}
