// What the sandbox adds to one bash command: a real sandbox opened as the engine opens it (temp stateDir,
// a small git-less work tree), `true` run through runBash N times, and the same through a bare sandbox
// (FOREMAN_SANDBOX=off) and a sandbox with the egress proxy's socat bridge (network "allowlist"). The
// variants take turns command by command, so a change in the shared machine's load hits them alike.
//
// With `breakdown`, more rows take the sandboxed launch apart (each one a change to the real launch): the
// pids-cgroup `sh -c` wrapper without its cgroup (join and rmdir), no wrapper at all, then no ulimit prelude either, bwrap starting /bin/true with no bash at all,
// the same sharing the host's network namespace (the cost of making a fresh one), and Node spawning
// /bin/true with nothing of runBash around it (the floor).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runBash } from "@/lib/engine/tools/bash";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { type CommandLaunch, openSandbox, type Sandbox } from "@/lib/sandbox/sandbox";
import { resetSandboxStatus, sandboxStatus } from "@/lib/sandbox/status";
import { fmt, quantile, table } from "./stats";

export interface OverheadRow {
  name: string;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  failures: number;
}

export interface OverheadResult {
  iterations: number;
  processLimit: string;
  loadBefore: number[];
  loadAfter: number[];
  rows: OverheadRow[];
}

interface Variant {
  name: string;
  run: () => Promise<boolean>;
  samples: number[];
  failures: number;
}

async function withSandboxSetting<T>(value: "off" | undefined, f: () => Promise<T>): Promise<T> {
  const saved = process.env.FOREMAN_SANDBOX;
  if (value === undefined) delete process.env.FOREMAN_SANDBOX;
  else process.env.FOREMAN_SANDBOX = value;
  resetSandboxStatus();
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.FOREMAN_SANDBOX;
    else process.env.FOREMAN_SANDBOX = saved;
    resetSandboxStatus();
  }
}

/** The sandbox with each launch changed by `edit`. */
function edited(base: Sandbox, edit: (launch: CommandLaunch) => CommandLaunch): Sandbox {
  return { ...base, launch: (command) => edit(base.launch(command)) };
}

/** The launch without the pids-cgroup wrapper (`sh -c 'echo $$ > …/cgroup.procs && exec "$@"' group bwrap …`). */
function withoutCgroup(launch: CommandLaunch): CommandLaunch {
  if (launch.file !== "/bin/sh") return launch;
  launch.cleanup?.(); // the group was made by launch(): remove it now, it is never joined
  const [, , , file, ...args] = launch.args;
  return { file: file as string, args, cwd: launch.cwd, env: launch.env, argsOnFd3: launch.argsOnFd3 };
}

/** The wrapper's `sh -c … exec` kept, without joining (or making, or removing) a cgroup. */
function shWrapperNoJoin(launch: CommandLaunch): CommandLaunch {
  const bare = withoutCgroup(launch);
  if (bare === launch) return launch;
  return { ...bare, file: "/bin/sh", args: ["-c", 'exec "$@"', "sh", bare.file, ...bare.args] };
}

/** bash's script without its first line (the ulimit prelude). */
function withoutUlimits(launch: CommandLaunch): CommandLaunch {
  const script = launch.args.at(-1) ?? "";
  if (!script.startsWith("ulimit ")) return launch;
  return { ...launch, args: [...launch.args.slice(0, -1), script.slice(script.indexOf("\n") + 1)] };
}

/** bwrap starting /bin/true directly: the namespaces and mounts, no shell. */
function bwrapOnly(launch: CommandLaunch): CommandLaunch {
  const separator = launch.args.indexOf("--");
  return { ...launch, args: [...launch.args.slice(0, separator + 1), "/bin/true"] };
}

/** The same sandbox in the host's network namespace (only to price making a fresh one). */
function sharedNet(launch: CommandLaunch): CommandLaunch {
  return launch.argsOnFd3 ? { ...launch, argsOnFd3: [...launch.argsOnFd3, "--share-net"] } : launch;
}

function spawnTrue(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("/bin/true", [], { stdio: ["ignore", "pipe", "ignore"] });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

export async function measureSandboxOverhead(options: {
  iterations: number;
  breakdown?: boolean;
  warmup?: number;
}): Promise<OverheadResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-sandbox-bench-"));
  const sandboxes: Sandbox[] = [];
  const open = async (name: string, network: "none" | "allowlist") => {
    const stateDir = path.join(tmp, name);
    const workTree = path.join(stateDir, "work");
    fs.mkdirSync(path.join(workTree, "src"), { recursive: true });
    fs.writeFileSync(path.join(workTree, "README.md"), "# bench\n");
    fs.writeFileSync(path.join(workTree, "src", "notes.txt"), "hello\n");
    const sandbox = await openSandbox({
      stateDir,
      workTree,
      network,
      allowedHosts: network === "allowlist" ? ["example.com"] : [],
      limits: DEFAULT_SANDBOX_LIMITS,
    });
    sandboxes.push(sandbox);
    return { sandbox, workTree };
  };
  try {
    const bare = await withSandboxSetting("off", () => open("bare", "none"));
    const { boxed, proxied, status } = await withSandboxSetting(undefined, async () => {
      const status = await sandboxStatus();
      if (status.mode !== "bwrap") throw new Error(`no sandbox on this machine (${status.mode})`);
      return { boxed: await open("boxed", "none"), proxied: await open("proxied", "allowlist"), status };
    });
    const viaRunBash = (target: { sandbox: Sandbox; workTree: string }, sandbox = target.sandbox) => {
      return async () => {
        const result = await runBash({ command: "true", cwd: target.workTree, sandbox });
        return result.exitCode === 0;
      };
    };
    const variant = (name: string, run: () => Promise<boolean>): Variant => ({
      name,
      run,
      samples: [],
      failures: 0,
    });
    const variants: Variant[] = [
      variant("bare (FOREMAN_SANDBOX=off)", viaRunBash(bare)),
      variant("sandboxed, network none", viaRunBash(boxed)),
      variant("sandboxed + egress proxy (allowlist)", viaRunBash(proxied)),
    ];
    if (options.breakdown) {
      const b = boxed.sandbox;
      variants.push(
        variant(
          "  sandboxed, sh wrapper kept, no cgroup join/rmdir",
          viaRunBash(boxed, edited(b, shWrapperNoJoin)),
        ),
        variant("  sandboxed, no pids-cgroup sh wrapper", viaRunBash(boxed, edited(b, withoutCgroup))),
        variant(
          "  … and no ulimit prelude",
          viaRunBash(
            boxed,
            edited(b, (l) => withoutUlimits(withoutCgroup(l))),
          ),
        ),
        variant(
          "  … and no bash: bwrap → /bin/true",
          viaRunBash(
            boxed,
            edited(b, (l) => bwrapOnly(withoutCgroup(l))),
          ),
        ),
        variant(
          "  … and the host's network namespace",
          viaRunBash(
            boxed,
            edited(b, (l) => sharedNet(bwrapOnly(withoutCgroup(l)))),
          ),
        ),
        variant("  Node spawn of /bin/true, no runBash", spawnTrue),
      );
    }
    for (let i = 0; i < (options.warmup ?? 10); i++) for (const v of variants) await v.run();
    const loadBefore = os.loadavg();
    for (let i = 0; i < options.iterations; i++) {
      for (const v of variants) {
        const started = performance.now();
        const ok = await v.run();
        v.samples.push(performance.now() - started);
        if (!ok) v.failures++;
      }
    }
    const loadAfter = os.loadavg();
    const rows = variants.map((v) => {
      const sorted = [...v.samples].sort((a, b) => a - b);
      return {
        name: v.name,
        p50Ms: quantile(sorted, 0.5),
        p95Ms: quantile(sorted, 0.95),
        meanMs: sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length),
        failures: v.failures,
      };
    });
    return {
      iterations: options.iterations,
      processLimit: status.mode === "bwrap" ? status.processLimit : "n/a",
      loadBefore,
      loadAfter,
      rows,
    };
  } finally {
    for (const sandbox of sandboxes) await sandbox.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatSandboxOverhead(result: OverheadResult): string {
  const bare = result.rows[0];
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  const added = (x: number, base: number | undefined) =>
    base === undefined ? "n/a" : `${x - base >= 0 ? "+" : ""}${fmt(x - base, 1)}`;
  const body = table(
    ["per command: runBash `true` (ms)", "p50", "p95", "mean", "added p50", "added p95", "failed"],
    result.rows.map((r, i) => [
      r.name,
      fmt(r.p50Ms, 1),
      fmt(r.p95Ms, 1),
      fmt(r.meanMs, 1),
      i === 0 ? "—" : added(r.p50Ms, bare?.p50Ms),
      i === 0 ? "—" : added(r.p95Ms, bare?.p95Ms),
      String(r.failures),
    ]),
  );
  const sandboxed = result.rows[1];
  const addedP50 = bare && sandboxed ? sandboxed.p50Ms - bare.p50Ms : Number.NaN;
  return [
    `Sandbox overhead — ${result.iterations} commands per row, in turns, sequential; process limit: ${result.processLimit}; ${os.cpus().length} CPUs; load average (1/5/15 min) ${load(result.loadBefore)} before, ${load(result.loadAfter)} after`,
    "",
    body,
    "",
    `added p50 per command (sandboxed − bare): ${fmt(addedP50, 1)} ms (budget 15 ms: ${addedP50 <= 15 ? "within" : "OVER"})`,
  ].join("\n");
}
