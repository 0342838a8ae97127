// The sandbox of one run: every bash call, setup command and test command of the run is started through
// it. With bubblewrap, a command sees the run's repository read-write at /workspace, the system read-only,
// a private /tmp and HOME, its own PID namespace (nothing it starts outlives it), no network of its own
// (allowlist/open go through Foreman's egress proxy), runs as an unprivileged user, and has resource limits.
// Foreman's data folder, the server user's home, the app's folder and the server's environment don't exist
// in there. With FOREMAN_SANDBOX=off (an admin's explicit choice) commands run bare, and the run says so.
import fs from "node:fs";
import path from "node:path";
import type { RunSandbox } from "@/db/schema";
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
const SANDBOX_UID = 1000;
const SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** How to start one command: the program, its argument vector, and its whole environment. */
export interface CommandLaunch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Arguments bwrap reads from file descriptor 3 (NUL-separated), so host paths stay out of /proc's cmdline. */
  argsOnFd3?: string[];
  /** Runs after the command and everything it started are gone. */
  cleanup?: () => void;
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
  launch(command: string): CommandLaunch;
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

function writeEtc(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "passwd"),
    `root:x:0:0:root:/root:/bin/bash\nagent:x:${SANDBOX_UID}:${SANDBOX_UID}:Foreman agent:${SANDBOX_HOME}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
  );
  fs.writeFileSync(path.join(dir, "group"), `root:x:0:\nagent:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`);
  fs.writeFileSync(path.join(dir, "hosts"), "127.0.0.1 localhost foreman-sandbox\n::1 localhost\n");
}

let cgroupCounter = 0;

/** As root, RLIMIT_NPROC is ignored by the kernel: a pids cgroup per command counts the processes instead. */
function joinPidsCgroup(launch: CommandLaunch, maxProcesses: number): CommandLaunch {
  const root = pidsCgroupRoot();
  if (!root) return launch;
  const group = path.join(root, `c${++cgroupCounter}`);
  try {
    fs.mkdirSync(group);
    fs.writeFileSync(path.join(group, "pids.max"), String(maxProcesses));
  } catch {
    return launch;
  }
  return {
    ...launch,
    file: "/bin/sh",
    // The wrapper joins the group, then becomes bwrap: everything the command starts is counted.
    args: ["-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', group, launch.file, ...launch.args],
    cleanup: () => {
      for (let i = 0; i < 20; i++) {
        try {
          fs.rmdirSync(group);
          return;
        } catch {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    },
  };
}

function bwrapSandbox(
  options: SandboxOptions,
  processLimit: "rlimit" | "cgroup" | "none",
  proxy: ProxyMount | undefined,
): Omit<Sandbox, "close"> & { close(): void } {
  const home = path.join(options.stateDir, "home");
  const tmp = path.join(options.stateDir, "tmp");
  const etc = path.join(options.stateDir, "etc");
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  writeEtc(etc);
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
    "--bind",
    options.workTree,
    SANDBOX_REPO_DIR,
    ...(options.objectsDir ? ["--ro-bind", options.objectsDir, SANDBOX_OBJECTS_DIR] : []),
    ...(proxy ? ["--ro-bind", proxy.dir, SANDBOX_PROXY_DIR] : []),
    "--chdir",
    SANDBOX_REPO_DIR,
  ];
  const env = baseEnv(options, SANDBOX_HOME, "/tmp", SAFE_PATH);
  const ulimits = ulimitPrelude(options.limits, { withProcessLimit: processLimit === "rlimit" });
  return {
    record: { mode: "bwrap", network: options.network, allowedHosts: options.allowedHosts },
    repoPath: SANDBOX_REPO_DIR,
    launch(command) {
      const script = [ulimits, "exec 2>&1", proxy?.prelude, command].filter(Boolean).join("\n");
      const launch: CommandLaunch = {
        file: bwrapPath(),
        args: ["--args", "3", "--", "/bin/bash", "-c", script],
        argsOnFd3: mounts,
        cwd: options.stateDir,
        env,
      };
      return processLimit === "cgroup" ? joinPidsCgroup(launch, options.limits.maxProcesses) : launch;
    },
    close() {
      for (const dir of [home, tmp, etc]) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** FOREMAN_SANDBOX=off: the command runs as the server's user, in the repository, with the allowlisted env. */
function bareSandbox(options: SandboxOptions): Omit<Sandbox, "close"> & { close(): void } {
  const home = path.join(options.stateDir, "home");
  const tmp = path.join(options.stateDir, "tmp");
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
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
    launch: (command) => ({
      file: "/bin/bash",
      args: ["-c", [ulimits, "exec 2>&1", command].join("\n")],
      cwd: options.workTree,
      env,
    }),
    close() {
      for (const dir of [home, tmp]) fs.rmSync(dir, { recursive: true, force: true });
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
  if (status.mode === "off") {
    const bare = bareSandbox(options);
    return { ...bare, close: async () => bare.close() };
  }
  let proxy: EgressProxy | undefined;
  if (options.network !== "none") {
    const dir = path.join(options.stateDir, "proxy");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    proxy = await startEgressProxy({
      socketPath: path.join(dir, "proxy.sock"),
      policy: { network: options.network, allowedHosts: options.allowedHosts },
    });
  }
  const mount = proxy && {
    dir: path.dirname(proxy.socketPath),
    prelude: proxyBridgeScript(`${SANDBOX_PROXY_DIR}/${path.basename(proxy.socketPath)}`),
  };
  const sandbox = bwrapSandbox(options, status.processLimit, mount);
  return {
    ...sandbox,
    async close() {
      sandbox.close();
      await proxy?.close();
    },
  };
}
