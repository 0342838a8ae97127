// The sandbox of one run: every bash call, setup command and test command of the run is started through
// it. With bubblewrap, a command sees the run's repository read-write at /workspace, the system read-only,
// a private /tmp and HOME, its own PID namespace (nothing it starts outlives it), no network of its own
// (allowlist/open go through Foreman's egress proxy), runs as an unprivileged user, and has resource limits.
// Foreman's data folder, the server user's home, the app's folder and the server's environment don't exist
// in there. With FOREMAN_SANDBOX=off (an admin's explicit choice) commands run bare, and the run says so.
import fs from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import type { RunSandbox } from "@/db/schema";
import { removeTree, type SpawnedProcess, type StdioSetting, spawnProcess } from "@/lib/spawner/spawn";
import { type EgressProxy, startEgressProxy } from "./egress-proxy";
import { type SandboxLimits, ulimitPrelude } from "./limits";
import { proxyBridgeScript } from "./proxy-bridge";
import { bwrapPath, pidsCgroupRoot, SandboxUnavailableError, sandboxStatus } from "./status";
import { systemBinds } from "./system";

/** Where the run's repository is inside the sandbox. */
export const SANDBOX_REPO_DIR = "/workspace";
export const SANDBOX_HOME = "/home/agent";
/** Foreman's clone's objects, read-only: the agent's own .git borrows them. */
export const SANDBOX_OBJECTS_DIR = "/run/foreman/objects";
export const SANDBOX_PROXY_DIR = "/run/foreman/proxy";
/** The commands' scripts, read-only: bash runs each from a file, so its stdin stays empty. */
const SANDBOX_SCRIPTS_DIR = "/run/foreman/commands";
const SANDBOX_UID = 1000;
const SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A command the sandbox has started: its process (own process group, stdout and stderr piped). */
export interface StartedCommand {
  child: SpawnedProcess;
  /** Runs after the command and everything it started are gone. */
  cleanup?: () => Promise<void>;
}

export interface SandboxOptions {
  /** Host folder of the run's state: home/, tmp/ and etc/ are made in it. */
  stateDir: string;
  /** The run's repository (work tree) on the host. */
  workTree: string;
  /** Foreman's clone's objects folder, mounted read-only for the agent's own git. */
  objectsDir?: string;
  network: RunSandbox["network"];
  allowedHosts: string[];
  limits: SandboxLimits;
  /** Extra variables for every command (the agent's git identity). Trusted. */
  env?: Record<string, string>;
  /** The repository is mounted read-only (a judge reads the attempts and changes nothing). */
  readOnly?: boolean;
}

interface ProxyMount {
  /** Shell lines that run inside the sandbox before the command: the bridge to the egress proxy. */
  prelude: string;
  /** Host folder holding the egress proxy's socket, mounted at SANDBOX_PROXY_DIR. */
  dir: string;
}

export interface Sandbox {
  /** What the run records and shows. */
  readonly record: RunSandbox;
  /** The repository's path as commands see it (and as the agent should name it). */
  readonly repoPath: string;
  /** Starts `command` (a bash script) in the sandbox. */
  launch(command: string): Promise<StartedCommand>;
  /**
   * A command is coming (the model has begun asking for one): makes its sandbox now, unless one is ready,
   * so that its start overlaps the rest of the reply. After each command the next one is made at once.
   */
  prepare(): void;
  /** Removes the sandbox's /tmp and HOME and stops its egress proxy. */
  close(): Promise<void>;
}

/**
 * The command's whole environment, an allowlist: nothing of the server's reaches it unless named here (so
 * ANTHROPIC_API_KEY, DATABASE_URL, AUTH_SECRET … never do).
 */
function baseEnv(
  options: SandboxOptions,
  home: string,
  tmp: string,
  pathValue: string,
): Record<string, string> {
  const lang = process.env.LANG && process.env.LANG !== "C" ? process.env.LANG : "C.UTF-8";
  return {
    PATH: pathValue,
    HOME: home,
    USER: "agent",
    LOGNAME: "agent",
    LANG: lang,
    TERM: "dumb",
    NO_COLOR: "1",
    CI: "true",
    TMPDIR: tmp,
    SHELL: "/bin/bash",
    PAGER: "cat",
    GIT_PAGER: "cat",
    GIT_TERMINAL_PROMPT: "0",
    GIT_EDITOR: "true",
    ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
    ...options.env,
  };
}

async function writeEtc(dir: string) {
  await fs.mkdir(dir, { recursive: true });
  await Promise.all([
    fs.writeFile(
      path.join(dir, "passwd"),
      `root:x:0:0:root:/root:/bin/bash\nagent:x:${SANDBOX_UID}:${SANDBOX_UID}:Foreman agent:${SANDBOX_HOME}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    ),
    fs.writeFile(path.join(dir, "group"), `root:x:0:\nagent:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`),
    fs.writeFile(path.join(dir, "hosts"), "127.0.0.1 localhost foreman-sandbox\n::1 localhost\n"),
  ]);
}

let cgroupCounter = 0;

/**
 * As root the kernel ignores RLIMIT_NPROC: a pids cgroup of the run's own counts its processes instead.
 * null when none can be made (the status says so).
 */
async function runPidsCgroup(maxProcesses: number): Promise<string | null> {
  const root = pidsCgroupRoot();
  if (!root) return null;
  const group = path.join(root, `r${++cgroupCounter}`);
  try {
    await fs.mkdir(group);
    await fs.writeFile(path.join(group, "pids.max"), String(maxProcesses));
    return group;
  } catch {
    return null;
  }
}

/** A cgroup can only be removed once its last process is gone: retried for a while, never blocking. */
function removeCgroup(group: string, attempts = 40) {
  fs.rmdir(group).catch(() => {
    if (attempts > 0) setTimeout(() => removeCgroup(group, attempts - 1), 250).unref();
  });
}

const PIPES: StdioSetting[] = ["ignore", "pipe", "pipe", "pipe", "pipe"];

/** A sandbox started ahead of its command, and the file its script goes into. */
interface Spare {
  child: SpawnedProcess;
  script: string;
}

async function bwrapSandbox(
  options: SandboxOptions,
  processLimit: "rlimit" | "cgroup" | "none",
  proxy: ProxyMount | undefined,
): Promise<Sandbox> {
  const home = path.join(options.stateDir, "home");
  const tmp = path.join(options.stateDir, "tmp");
  const etc = path.join(options.stateDir, "etc");
  const scripts = path.join(options.stateDir, "scripts");
  await Promise.all([
    ...[scripts, home, tmp].map((dir) => fs.mkdir(dir, { recursive: true, mode: 0o700 })),
    writeEtc(etc),
  ]);
  const mounts = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--uid",
    String(SANDBOX_UID),
    "--gid",
    String(SANDBOX_UID),
    "--hostname",
    "foreman-sandbox",
    ...systemBinds(),
    "--ro-bind",
    path.join(etc, "passwd"),
    "/etc/passwd",
    "--ro-bind",
    path.join(etc, "group"),
    "/etc/group",
    "--ro-bind",
    path.join(etc, "hosts"),
    "/etc/hosts",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--bind",
    tmp,
    "/tmp",
    "--bind",
    home,
    SANDBOX_HOME,
    options.readOnly ? "--ro-bind" : "--bind",
    options.workTree,
    SANDBOX_REPO_DIR,
    ...(options.objectsDir ? ["--ro-bind", options.objectsDir, SANDBOX_OBJECTS_DIR] : []),
    ...(proxy ? ["--ro-bind", proxy.dir, SANDBOX_PROXY_DIR] : []),
    "--ro-bind",
    scripts,
    SANDBOX_SCRIPTS_DIR,
    "--chdir",
    SANDBOX_REPO_DIR,
  ];
  const env = baseEnv(options, SANDBOX_HOME, "/tmp", SAFE_PATH);
  const ulimits = ulimitPrelude(options.limits, { withProcessLimit: processLimit === "rlimit" });
  const cgroup = processLimit === "cgroup" ? await runPidsCgroup(options.limits.maxProcesses) : null;

  /**
   * A sandbox made ahead of its command: bwrap reads its mounts from fd 3 (host paths stay out of /proc),
   * builds the namespaces at once, then waits (--block-fd 4) until its script is written. Making the next
   * one while the agent thinks takes bwrap's start (and, as root, joining the cgroup) off every command's path.
   */
  let prepared = 0;
  function prepare(name = `${++prepared}.sh`): Spare {
    const argv = ["--args", "3", "--block-fd", "4", "--", "/bin/bash", `${SANDBOX_SCRIPTS_DIR}/${name}`];
    const spawnOptions = {
      cwd: options.stateDir,
      env,
      detached: true,
      stdio: PIPES,
    };
    const child = cgroup
      ? // The wrapper joins the run's group, then becomes bwrap: everything the command starts is counted.
        spawnProcess(
          "/bin/sh",
          ["-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup, bwrapPath(), ...argv],
          spawnOptions,
        )
      : spawnProcess(bwrapPath(), argv, spawnOptions);
    child.on("error", () => {}); // reported by runBash when this one is used
    for (const fd of [3, 4]) (child.stdio[fd] as Writable).on("error", () => {});
    (child.stdio[3] as Writable).end(`${mounts.join("\0")}\0`);
    return { child, script: path.join(scripts, name) };
  }
  const ready = (spare: Spare | undefined): spare is Spare =>
    spare !== undefined && spare.child.exitCode === null && spare.child.signalCode === null;

  // None yet: a run whose agent never asks for a command (or fails first) makes no sandbox at all.
  let spare: Spare | undefined;
  let closed = false;
  return {
    record: {
      mode: "bwrap",
      network: options.network,
      allowedHosts: options.allowedHosts,
      ...(options.readOnly ? { readOnly: true } : {}),
    },
    repoPath: SANDBOX_REPO_DIR,
    prepare() {
      if (!closed && !ready(spare)) spare = prepare();
    },
    async launch(command) {
      const candidate = spare;
      spare = undefined;
      const script = candidate?.script ?? path.join(scripts, `${++prepared}.sh`);
      await fs.writeFile(script, [ulimits, "exec 2>&1", proxy?.prelude, command].filter(Boolean).join("\n"));
      // Checked after the write: a sandbox that died meanwhile is replaced by a new one reading the same
      // script, and one started here emits nothing before the caller listens (no await from here on).
      const used = ready(candidate) ? candidate : prepare(path.basename(script));
      (used.child.stdio[4] as Writable).end("go");
      return {
        child: used.child,
        cleanup: async () => {
          if (!closed) spare = prepare();
          await fs.rm(used.script, { force: true });
        },
      };
    },
    async close() {
      closed = true;
      spare?.child.kill("SIGKILL"); // its whole group: bwrap and the sandbox it built
      spare = undefined;
      if (cgroup) removeCgroup(cgroup);
      // What the agent left in its home and /tmp may be many files: removed by the spawner, off this thread.
      await Promise.all([home, tmp, etc, scripts].map(removeTree));
    },
  };
}

/** FOREMAN_SANDBOX=off: the command runs as the server's user, in the repository, with the allowlisted env. */
async function bareSandbox(options: SandboxOptions): Promise<Sandbox> {
  const home = path.join(options.stateDir, "home");
  const tmp = path.join(options.stateDir, "tmp");
  await Promise.all([home, tmp].map((dir) => fs.mkdir(dir, { recursive: true, mode: 0o700 })));
  // The server's PATH (tools may live outside /usr here), less its own node_modules/.bin from `npm run`.
  const serverPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((entry) => entry && !entry.includes(`${path.sep}node_modules${path.sep}.bin`))
    .join(path.delimiter);
  const env = baseEnv(options, home, tmp, serverPath || SAFE_PATH);
  const ulimits = ulimitPrelude(options.limits, { withProcessLimit: false });
  return {
    record: { mode: "off", network: "open", allowedHosts: [] },
    repoPath: options.workTree,
    prepare: () => {},
    launch: async (command) => ({
      child: spawnProcess("/bin/bash", ["-c", [ulimits, "exec 2>&1", command].join("\n")], {
        cwd: options.workTree,
        env,
        detached: true,
        // Only stdout: a process that escapes the group (setsid) must not hold more of our pipes open.
        stdio: ["ignore", "pipe", "ignore"],
      }),
    }),
    async close() {
      await Promise.all([home, tmp].map(removeTree));
    },
  };
}

/**
 * A sandbox for commands in `workTree` under a network policy; throws SandboxUnavailableError when none can
 * be made and the admin didn't opt out. Allowlist and open: the sandbox still has no network of its own;
 * its tools reach Foreman's egress proxy through a socket in `stateDir`, and the proxy decides (never the
 * host's loopback, whatever the policy).
 */
export async function openSandbox(options: SandboxOptions): Promise<Sandbox> {
  const status = await sandboxStatus();
  if (status.mode === "unavailable") throw new SandboxUnavailableError(status.reason);
  if (status.mode === "off") return await bareSandbox(options);
  let proxy: EgressProxy | undefined;
  if (options.network !== "none") {
    const dir = path.join(options.stateDir, "proxy");
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    proxy = await startEgressProxy({
      socketPath: path.join(dir, "proxy.sock"),
      policy: { network: options.network, allowedHosts: options.allowedHosts },
    });
  }
  const mount = proxy && {
    dir: path.dirname(proxy.socketPath),
    prelude: proxyBridgeScript(`${SANDBOX_PROXY_DIR}/${path.basename(proxy.socketPath)}`),
  };
  let sandbox: Sandbox;
  try {
    sandbox = await bwrapSandbox(options, status.processLimit, mount);
  } catch (error) {
    await proxy?.close(); // no sandbox to close it later
    throw error;
  }
  return {
    ...sandbox,
    async close() {
      await sandbox.close();
      await proxy?.close();
    },
  };
}
