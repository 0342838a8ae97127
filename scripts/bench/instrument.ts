// Measurement from outside the engine: counts and times every SQL round trip (pg.Client#query), every
// wait for a pooled connection (pg.Pool#connect) and every child process (git, bash), and reads from /proc
// the CPU time of this process, of the processes it started (the spawner with its git and bash, the fake
// model) and of the PostgreSQL server. Nothing in the engine changes: the builtin child_process exports
// are wrapped and re-synced into ESM importers.
import childProcess from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { spawnObservers } from "@/lib/spawner/spawn";

export interface Counters {
  sqlCount: number;
  sqlMs: number;
  transactions: number;
  poolWaits: number;
  poolWaitMs: number;
  procCount: number;
  procMs: number;
  procByName: Record<string, number>;
}

const fresh = (): Counters => ({
  sqlCount: 0,
  sqlMs: 0,
  transactions: 0,
  poolWaits: 0,
  poolWaitMs: 0,
  procCount: 0,
  procMs: 0,
  procByName: {},
});

let active: Counters | null = null;

/** Starts counting into a fresh set of counters; stop() returns them. */
/** BENCH_SQL_STATEMENTS=1: every statement counted by its first words, printed by printStatementCounts. */
const statementCounts = process.env.BENCH_SQL_STATEMENTS ? new Map<string, number>() : null;

export function printStatementCounts(perSteps: number): void {
  if (!statementCounts) return;
  const rows = [...statementCounts.entries()].sort((a, b) => b[1] - a[1]);
  process.stderr.write("[bench] SQL statements per step, by their first words:\n");
  for (const [text, count] of rows) process.stderr.write(`  ${(count / perSteps).toFixed(3)}  ${text}\n`);
  statementCounts.clear();
}

export function startCounting(): { stop: () => Counters } {
  const counters = fresh();
  active = counters;
  return {
    stop: () => {
      if (active === counters) active = null;
      return counters;
    },
  };
}

function procName(file: string, args: readonly string[] | undefined): string {
  const base = file.split("/").at(-1) ?? file;
  if (base === "git") {
    const sub = (args ?? []).find((arg, i) => !arg.startsWith("-") && (args?.[i - 1] ?? "") !== "-c");
    return `git ${sub ?? ""}`.trim();
  }
  // gitScript (lib/git/worktree.ts): a few git commands in one shell.
  if (base === "sh" && args?.[0] === "-c" && args[1]?.startsWith("git ")) return `sh: ${args[1]}`;
  return base;
}

function recordProc(name: string, started: number) {
  const counters = active;
  if (!counters) return;
  counters.procCount += 1;
  counters.procMs += performance.now() - started;
  counters.procByName[name] = (counters.procByName[name] ?? 0) + 1;
}

type AnyFn = (...args: unknown[]) => unknown;

let installed = false;
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/**
 * stubSnapshots (diagnostic only): the engine's per-tool-call worktree snapshots (`sh -c "git add --all &&
 * git write-tree"`) are answered without a process, as if no file changed — shows the loop without them.
 */
export function installInstrumentation(options: { stubSnapshots?: boolean } = {}): void {
  if (installed) return;
  installed = true;

  // ---- child processes ----
  const cp = childProcess as unknown as Record<string, AnyFn>;
  const originalExecFile = cp.execFile as AnyFn;
  cp.execFile = function execFile(this: unknown, ...args: unknown[]) {
    const script = args[0] === "sh" && Array.isArray(args[1]) ? String(args[1][1] ?? "") : "";
    const callback0 = args.at(-1);
    if (options.stubSnapshots && script.endsWith("git write-tree") && typeof callback0 === "function") {
      setImmediate(() => (callback0 as AnyFn)(null, `${EMPTY_TREE}\n`, ""));
      return undefined;
    }
    if (!active) return originalExecFile.apply(this, args);
    const started = performance.now();
    const name = procName(String(args[0]), Array.isArray(args[1]) ? (args[1] as string[]) : undefined);
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...result: unknown[]) => {
        recordProc(name, started);
        return (callback as AnyFn)(...result);
      };
    }
    return originalExecFile.apply(this, args);
  };
  // Tools and git start through lib/spawner (from the spawner process, or from this one when it's off).
  spawnObservers.add((file, args, child) => {
    if (!active) return;
    const started = performance.now();
    const name = procName(file, args);
    child.on("close", () => recordProc(name, started));
  });
  syncBuiltinESMExports();

  // ---- SQL round trips ----
  const clientProto = pg.Client.prototype as unknown as Record<string, AnyFn>;
  const originalQuery = clientProto.query as AnyFn;
  clientProto.query = function query(this: unknown, ...args: unknown[]) {
    const counters = active;
    if (!counters) return originalQuery.apply(this, args);
    const started = performance.now();
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | null)?.text ?? "");
    if (/^\s*begin\b/i.test(text)) counters.transactions += 1;
    const done = () => {
      if (statementCounts) {
        const key = text.replace(/\s+/g, " ").trim().slice(0, 90);
        statementCounts.set(key, (statementCounts.get(key) ?? 0) + 1);
      }
      counters.sqlCount += 1;
      counters.sqlMs += performance.now() - started;
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...result: unknown[]) => {
        done();
        return (callback as AnyFn)(...result);
      };
      return originalQuery.apply(this, args);
    }
    const result = originalQuery.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  };

  // ---- waits for a pooled connection ----
  const poolProto = pg.Pool.prototype as unknown as Record<string, AnyFn>;
  const originalConnect = poolProto.connect as AnyFn;
  poolProto.connect = function connect(this: unknown, ...args: unknown[]) {
    const counters = active;
    if (!counters) return originalConnect.apply(this, args);
    const started = performance.now();
    const done = () => {
      counters.poolWaits += 1;
      counters.poolWaitMs += performance.now() - started;
    };
    const callback = args[0];
    if (typeof callback === "function") {
      return originalConnect.call(this, (...result: unknown[]) => {
        done();
        return (callback as AnyFn)(...result);
      });
    }
    const result = originalConnect.apply(this, args) as Promise<unknown>;
    result.then(done, () => {});
    return result;
  };
}

// ---- CPU time from /proc (Linux; zeros elsewhere) ----

const TICKS = 100;

function readProcStat(pid: string): { self: number; children: number; ppid: string } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): ppid = 4, utime = 14, stime = 15, cutime = 16, cstime = 17.
    const at = (n: number) => Number(fields[n - 3] ?? 0);
    return {
      self: (at(14) + at(15)) / TICKS,
      children: (at(16) + at(17)) / TICKS,
      ppid: fields[1] ?? "",
    };
  } catch {
    return null;
  }
}

/** Where the CPU time of the processes beside this one goes (seconds since each started). */
export interface OtherProcesses {
  /** The spawner (lib/spawner) and every process it started: git, bash, bwrap. */
  spawner: number;
  /** The fake Messages API server. */
  fakeModel: number;
  /** This process's other children (git run here when the spawner is off), reaped ones included. */
  otherChildren: number;
  postgres: number;
}

function otherProcessesCpu(): OtherProcesses {
  const totals: OtherProcesses = { spawner: 0, fakeModel: 0, otherChildren: 0, postgres: 0 };
  let pids: string[] = [];
  try {
    pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return totals;
  }
  const self = String(process.pid);
  const parents = new Map<string, string>();
  const stats = new Map<string, { self: number; children: number }>();
  const commandLines = new Map<string, string>();
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (!stat) continue; // the process exited meanwhile
    parents.set(pid, stat.ppid);
    stats.set(pid, stat);
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (comm === "postgres") totals.postgres += stat.self;
      else if (comm === "node") commandLines.set(pid, fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    } catch {
      // exited meanwhile
    }
  }
  /** Which child of this process `pid` descends from, or undefined when it isn't ours. */
  const childOfSelf = (pid: string): string | undefined => {
    let at = pid;
    for (let depth = 0; depth < 64; depth++) {
      const parent = parents.get(at);
      if (parent === undefined) return undefined;
      if (parent === self) return at;
      at = parent;
    }
    return undefined;
  };
  for (const [pid, stat] of stats) {
    if (pid === self) {
      totals.otherChildren += stat.children;
      continue;
    }
    const child = childOfSelf(pid);
    if (!child) continue;
    const commandLine = commandLines.get(child) ?? "";
    const used = stat.self + stat.children;
    if (commandLine.includes("spawner-process")) totals.spawner += used;
    else if (commandLine.includes("fake-model")) totals.fakeModel += used;
    else totals.otherChildren += used;
  }
  return totals;
}

function machineBusySeconds(): number {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, v) => sum + v, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return (total - idle) / TICKS;
  } catch {
    return 0;
  }
}

export interface CpuSample extends OtherProcesses {
  node: number;
  machine: number;
}

export function cpuSample(): CpuSample {
  const usage = process.cpuUsage();
  return {
    node: (usage.user + usage.system) / 1e6,
    ...otherProcessesCpu(),
    machine: machineBusySeconds(),
  };
}

export function cpuDelta(a: CpuSample, b: CpuSample): CpuSample {
  return {
    node: b.node - a.node,
    spawner: b.spawner - a.spawner,
    fakeModel: b.fakeModel - a.fakeModel,
    otherChildren: b.otherChildren - a.otherChildren,
    postgres: b.postgres - a.postgres,
    machine: b.machine - a.machine,
  };
}
