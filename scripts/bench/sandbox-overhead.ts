// What the sandbox adds to one bash command: a real sandbox opened as the engine opens it (temp stateDir,
// a small git-less work tree), `true` run through runBash N times, and the same through a bare sandbox
// (FOREMAN_SANDBOX=off) and a sandbox with the egress proxy's socat bridge (network "allowlist").
//
// Two timings. "gap": a pause (default 100 ms) before every command, as an agent's commands are seconds
// apart, so each sandbox's next bwrap (made ahead, held by --block-fd) is ready; the variants take turns
// command by command, so a change in the shared machine's load hits them alike. "back-to-back": each
// variant's commands one right after the other (in blocks, the variants taking turns by block), so the spare
// made after one command may still be starting when the next comes.
//
// With `breakdown`, two more rows: a sandbox's first command (no spare yet: bwrap starts on the command's
// path, as every command did before the spare), and Node spawning /bin/true with nothing of runBash around
// it (the floor).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runBash } from "@/lib/engine/tools/bash";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { openSandbox, type Sandbox } from "@/lib/sandbox/sandbox";
import { resetSandboxStatus, sandboxStatus } from "@/lib/sandbox/status";
import { fmt, quantile, table } from "./stats";

export interface OverheadRow {
  name: string;
  /** The bare row of the same timing, for the "added" columns (undefined: this is one). */
  baseline?: string;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  failures: number;
}

export interface OverheadResult {
  iterations: number;
  gapMs: number;
  processLimit: string;
  loadBefore: number[];
  loadAfter: number[];
  rows: OverheadRow[];
}

interface Variant {
  name: string;
  baseline?: string;
  run: () => Promise<boolean>;
  samples: number[];
  failures: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

function spawnTrue(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("/bin/true", [], { stdio: ["ignore", "pipe", "ignore"] });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

async function runTrue(sandbox: Sandbox): Promise<boolean> {
  const result = await runBash({ command: "true", sandbox });
  return result.exitCode === 0;
}

function summarize(v: Variant): OverheadRow {
  const sorted = [...v.samples].sort((a, b) => a - b);
  return {
    name: v.name,
    baseline: v.baseline,
    p50Ms: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    meanMs: sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length),
    failures: v.failures,
  };
}

async function timed(v: Variant, run = v.run) {
  const started = performance.now();
  const ok = await run();
  v.samples.push(performance.now() - started);
  if (!ok) v.failures++;
}

export async function measureSandboxOverhead(options: {
  iterations: number;
  /** Pause before each command of the "gap" rows; default 100 ms. */
  gapMs?: number;
  breakdown?: boolean;
  warmup?: number;
}): Promise<OverheadResult> {
  const gapMs = options.gapMs ?? 100;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-sandbox-bench-"));
  const sandboxes: Sandbox[] = [];
  let opened = 0;
  const open = async (network: "none" | "allowlist") => {
    const stateDir = path.join(tmp, `s${++opened}`);
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
    return sandbox;
  };
  try {
    const bare = await withSandboxSetting("off", () => open("none"));
    const { boxed, proxied, status } = await withSandboxSetting(undefined, async () => {
      const status = await sandboxStatus();
      if (status.mode !== "bwrap") throw new Error(`no sandbox on this machine (${status.mode})`);
      return { boxed: await open("none"), proxied: await open("allowlist"), status };
    });
    const variant = (name: string, run: () => Promise<boolean>, baseline?: string): Variant => ({
      name,
      baseline,
      run,
      samples: [],
      failures: 0,
    });
    const bareGap = `bare (FOREMAN_SANDBOX=off), ${gapMs} ms gap`;
    const gap = [
      variant(bareGap, () => runTrue(bare)),
      variant(`sandboxed, network none, ${gapMs} ms gap`, () => runTrue(boxed), bareGap),
      variant(`sandboxed + egress proxy (allowlist), ${gapMs} ms gap`, () => runTrue(proxied), bareGap),
    ];
    const bareB2b = "bare, back-to-back";
    const backToBack = [
      variant(bareB2b, () => runTrue(bare)),
      variant("sandboxed, network none, back-to-back", () => runTrue(boxed), bareB2b),
      variant("sandboxed + egress proxy, back-to-back", () => runTrue(proxied), bareB2b),
    ];
    // A fresh sandbox per command, timed on its first command only: no spare made ahead yet.
    const first = (network: "none" | "allowlist") => async () => {
      const sandbox = await withSandboxSetting(undefined, () => open(network));
      const started = performance.now();
      const ok = await runTrue(sandbox);
      const ms = performance.now() - started;
      await sandbox.close().catch(() => {});
      sandboxes.splice(sandboxes.indexOf(sandbox), 1);
      return { ok, ms };
    };
    const firstNone = variant("  first command of a sandbox (no spare), none", async () => true, bareGap);
    const firstProxy = variant(
      "  first command of a sandbox (no spare), allowlist",
      async () => true,
      bareGap,
    );
    const floor = variant("  Node spawn of /bin/true, no runBash", spawnTrue, bareGap);
    const extra = options.breakdown ? [firstNone, firstProxy, floor] : [];

    for (let i = 0; i < (options.warmup ?? 10); i++) for (const v of gap) await v.run();
    const loadBefore = os.loadavg();
    // Gap rows, the variants in turns.
    for (let i = 0; i < options.iterations; i++) {
      for (const v of gap) {
        await sleep(gapMs);
        await timed(v);
      }
      if (options.breakdown) {
        for (const [v, network] of [
          [firstNone, "none"],
          [firstProxy, "allowlist"],
        ] as const) {
          await sleep(gapMs);
          const { ok, ms } = await first(network)();
          v.samples.push(ms);
          if (!ok) v.failures++;
        }
        await sleep(gapMs);
        await timed(floor);
      }
    }
    // Back-to-back rows: blocks of 10 commands, the variants taking turns by block.
    const block = 10;
    for (let done = 0; done < options.iterations; done += block) {
      for (const v of backToBack) {
        await sleep(gapMs); // the block starts with a ready spare, as after any pause
        for (let j = 0; j < Math.min(block, options.iterations - done); j++) await timed(v);
      }
    }
    const loadAfter = os.loadavg();
    return {
      iterations: options.iterations,
      gapMs,
      processLimit: status.mode === "bwrap" ? status.processLimit : "n/a",
      loadBefore,
      loadAfter,
      rows: [...gap, ...extra, ...backToBack].map(summarize),
    };
  } finally {
    for (const sandbox of sandboxes) await sandbox.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatSandboxOverhead(result: OverheadResult): string {
  const byName = new Map(result.rows.map((r) => [r.name, r]));
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  const added = (x: number, base: number | undefined) =>
    base === undefined ? "n/a" : `${x - base >= 0 ? "+" : ""}${fmt(x - base, 1)}`;
  const body = table(
    ["per command: runBash `true` (ms)", "p50", "p95", "mean", "added p50", "added p95", "failed"],
    result.rows.map((r) => {
      const base = r.baseline === undefined ? undefined : byName.get(r.baseline);
      return [
        r.name,
        fmt(r.p50Ms, 1),
        fmt(r.p95Ms, 1),
        fmt(r.meanMs, 1),
        base ? added(r.p50Ms, base.p50Ms) : "—",
        base ? added(r.p95Ms, base.p95Ms) : "—",
        String(r.failures),
      ];
    }),
  );
  const bare = result.rows[0];
  const sandboxed = result.rows[1];
  const addedP50 = bare && sandboxed ? sandboxed.p50Ms - bare.p50Ms : Number.NaN;
  return [
    `Sandbox overhead — ${result.iterations} commands per row, sequential; process limit: ${result.processLimit}; ${os.cpus().length} CPUs; load average (1/5/15 min) ${load(result.loadBefore)} before, ${load(result.loadAfter)} after`,
    "",
    body,
    "",
    `added p50 per command (sandboxed, network none, ${result.gapMs} ms gap − bare): ${fmt(addedP50, 1)} ms (budget 15 ms: ${addedP50 <= 15 ? "within" : "OVER"})`,
  ].join("\n");
}
