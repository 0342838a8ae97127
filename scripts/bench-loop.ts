// `npm run bench:loop -- [--runs N=100] [--steps S=10] [--tool bash|view] [--db pglite|postgres|both]
//   [--spawner on|off|both] [--engine thread|inline|both]`
//
// How long the process that executes agent runs blocks its event loop: on PGlite that process is the web
// server itself (pages and live streams wait behind every block), on PostgreSQL the worker process. N runs
// at once through the real worker, each S model turns from the fake Messages API (a process of its own,
// zero latency) calling `echo` through bash in the sandbox (or the editor's `view`: no process).
// An event-loop delay histogram (perf_hooks.monitorEventLoopDelay, 1 ms resolution) runs from the
// worker's start to the last run's end; it prints p50/p99/p99.9/max blocked ms per configuration, with
// tool processes spawned from the engine's process (FOREMAN_SPAWNER=off) or from the spawner, and with the
// engine on the measured thread itself (inline) or in a thread of its own (thread, as `npm start` runs it
// on PGlite), where the histogram measures what is left on the thread that serves pages and streams.
// A control, an idle node process with the same histogram over the same time, shows how much of a "block"
// is only the wait for one of the machine's cores, which every process on it sees.
// Each configuration runs in a fresh process of its own. Prints figures; asserts nothing.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { adminQuery, databaseUrl, log, makeSourceRepo, startFakeModelProcess } from "./bench/setup";
import { fmt, table } from "./bench/stats";

type Db = "pglite" | "postgres";
type Spawner = "on" | "off";
type Engine = "thread" | "inline";
interface Options {
  runs: number;
  steps: number;
  tool: "bash" | "view";
  db: Db[];
  spawner: Spawner[];
  engine: Engine[];
  child: boolean;
}

interface Result {
  db: Db;
  spawner: Spawner;
  engine: Engine;
  succeeded: number;
  steps: number;
  wallSec: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  elu: number;
  idleP99: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    runs: 100,
    steps: 10,
    tool: "bash",
    db: process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"],
    spawner: ["off", "on"],
    engine: ["inline", "thread"],
    child: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--runs") options.runs = Number(value());
    else if (flag === "--steps") options.steps = Number(value());
    else if (flag === "--tool") options.tool = value() === "view" ? "view" : "bash";
    else if (flag === "--db") {
      const v = value();
      options.db = v === "both" ? ["pglite", "postgres"] : [v as Db];
    } else if (flag === "--spawner") {
      const v = value();
      options.spawner = v === "both" ? ["off", "on"] : [v as Spawner];
    } else if (flag === "--engine") {
      const v = value();
      options.engine = v === "both" ? ["inline", "thread"] : [v as Engine];
    } else if (flag === "--child") options.child = true;
    else if (flag === "--help" || flag === "-h") {
      console.log(
        "usage: npm run bench:loop -- [--runs 100] [--steps 10] [--tool bash|view] [--db pglite|postgres|both] [--spawner on|off|both] [--engine thread|inline|both]",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error("--runs needs a positive integer");
  if (!Number.isInteger(options.steps) || options.steps < 2) throw new Error("--steps needs an integer ≥ 2");
  if (options.engine.some((e) => e !== "thread" && e !== "inline"))
    throw new Error("--engine takes thread, inline or both");
  if (!options.child && options.db.includes("postgres") && !process.env.DATABASE_URL)
    throw new Error("--db postgres needs DATABASE_URL (a scratch database is created on it)");
  return options;
}

const NOTES = Array.from({ length: 40 }, (_, i) => `${i + 1} The quick brown fox, line ${i + 1}.`).join("\n");
const ms = (ns: number) => ns / 1e6;

/** An idle node process measuring its own event-loop delay until asked for its p99 (ms). */
function startIdleControl(): { p99: () => Promise<number> } {
  const code = `const h = require("node:perf_hooks").monitorEventLoopDelay({ resolution: 1 }); h.enable();
process.stdin.on("data", () => { h.disable(); process.stdout.write(String(h.percentile(99) / 1e6)); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  return {
    p99: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve(Number(out) || 0));
        child.stdin.write("stop\n");
      }),
  };
}

/** One configuration, in this process: the environment (database, FOREMAN_SPAWNER) is already set. */
async function runChild(opts: Options, engine: Engine): Promise<Result> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bench-loop-"));
  const { getDb, closeDb } = await import("@/db");
  const { runs, tasks } = await import("@/db/schema");
  const { signUp } = await import("@/lib/teams/onboarding");
  const { insertLoadWorkspace } = await import("@/lib/testing/run-fixtures");
  const { startWorker } = await import("@/lib/queue/worker");
  const { startEngineThread } = await import("@/lib/queue/engine-thread");
  const { createModelClient } = await import("@/lib/engine/model-client");
  const { syncClone } = await import("@/lib/git/clone");
  const { spawnerEnabled } = await import("@/lib/spawner/spawn");
  const { spawnerPid } = await import("@/lib/spawner/remote");
  const { and, inArray, sql } = await import("drizzle-orm");
  const N = opts.runs;
  const S = opts.steps;

  const db = await getDb();
  const admin = await signUp({
    name: "Bench",
    email: "bench@example.com",
    password: "bench-pw-123",
    teamName: "B",
  });
  const { repo, agent } = await insertLoadWorkspace(admin, {
    source: makeSourceRepo(path.join(tmp, "source"), NOTES),
    runs: N,
    agent: { name: "bench-agent", maxSteps: S + 10 },
  });
  const fake = await startFakeModelProcess(S);
  const client = createModelClient({ apiKey: "sk-bench", baseURL: fake.url, maxRetries: 0 });
  const kind = opts.tool === "bash" ? "loopbash" : "loopview";
  const insertedTasks = await db
    .insert(tasks)
    .values(
      Array.from({ length: N }, (_, i) => ({
        teamId: admin.teamId,
        number: i + 1,
        title: `Bench ${i}`,
        prompt: `BENCH-RUN ${kind} ${i}: look at src/notes.txt.`,
        repoId: repo.id,
        agentId: agent.id,
        baseBranch: "main",
        assignedBy: admin.userId,
      })),
    )
    .returning({ id: tasks.id, number: tasks.number });
  const inserted = await db
    .insert(runs)
    .values(
      insertedTasks.map((task) => ({
        teamId: admin.teamId,
        taskId: task.id,
        agentId: agent.id,
        model: "claude-haiku-4-5",
        branch: `bench/loop-${task.number}`,
        maxSteps: S + 10,
        maxCostUsd: 1000,
        maxDurationSec: 24 * 3600,
      })),
    )
    .returning({ id: runs.id });
  const runIds = inserted.map((r) => r.id);
  await syncClone(repo);
  // The helper starts once per server (a fork of this large process, once): not part of any run's cost.
  if (spawnerEnabled()) spawnerPid();
  await new Promise((resolve) => setTimeout(resolve, 500));

  const idle = startIdleControl();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const elu0 = performance.eventLoopUtilization();
  histogram.enable();
  const t0 = performance.now();
  // The thread builds its client from the environment, as under `npm start`: pointed at the fake here.
  process.env.ANTHROPIC_API_KEY = "sk-bench";
  process.env.ANTHROPIC_BASE_URL = fake.url;
  const worker =
    engine === "thread"
      ? await startEngineThread({ concurrency: N })
      : await startWorker({ concurrency: N, client: () => client, sweepMs: 1000 });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const [row] = await db
      .select({ done: sql<number>`count(*)::int` })
      .from(runs)
      .where(and(inArray(runs.id, runIds), sql`${runs.status} in ('succeeded', 'failed', 'cancelled')`));
    if ((row?.done ?? 0) >= N || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const wallSec = (performance.now() - t0) / 1000;
  histogram.disable();
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const idleP99 = await idle.p99();
  await worker.stop();
  const [succeeded] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(runs)
    .where(and(inArray(runs.id, runIds), sql`${runs.status} = 'succeeded'`));
  fake.close();
  await closeDb();
  fs.rmSync(tmp, { recursive: true, force: true });
  return {
    db: process.env.DATABASE_URL ? "postgres" : "pglite",
    spawner: spawnerEnabled() ? "on" : "off",
    engine,
    succeeded: succeeded?.n ?? 0,
    steps: N * (S - 1),
    wallSec,
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    p999: ms(histogram.percentile(99.9)),
    max: ms(histogram.max),
    elu,
    idleP99,
  };
}

/** Runs one configuration in a fresh process (its own database handle, spawner setting and heap). */
function runConfiguration(
  db: Db,
  spawner: Spawner,
  engine: Engine,
  url: string | undefined,
  argv: string[],
): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, FOREMAN_SPAWNER: spawner };
  delete env.DATABASE_URL;
  if (db === "postgres" && url) env.DATABASE_URL = url;
  env.FOREMAN_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bench-loop-data-"));
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1] ?? "", ...argv, "--engine", engine, "--child"],
    {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => {
      fs.rmSync(env.FOREMAN_DATA_DIR as string, { recursive: true, force: true });
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as Result);
      else reject(new Error(`${db}/spawner ${spawner}/engine ${engine} exited with ${code}`));
    }),
  );
}

async function main() {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench:loop: ${(error as Error).message}`);
    process.exit(2);
  }
  if (opts.child) {
    process.stdout.write(`${JSON.stringify(await runChild(opts, opts.engine.at(-1) ?? "inline"))}\n`);
    process.exit(0);
  }
  const argv = process.argv.slice(2);
  const adminUrl = process.env.DATABASE_URL;
  const results: Result[] = [];
  const configurations = opts.db.flatMap((db) =>
    opts.spawner.flatMap((spawner) => opts.engine.map((engine) => ({ db, spawner, engine }))),
  );
  for (const { db, spawner, engine } of configurations) {
    let url: string | undefined;
    let name: string | undefined;
    if (db === "postgres" && adminUrl) {
      name = `foreman_bench_loop_${randomBytes(4).toString("hex")}`;
      await adminQuery(adminUrl, `create database ${name}`);
      url = databaseUrl(adminUrl, name);
    }
    log(
      `${db}, spawner ${spawner}, engine ${engine}: ${opts.runs} runs × ${opts.steps} turns (${opts.tool})`,
    );
    try {
      results.push(await runConfiguration(db, spawner, engine, url, argv));
    } finally {
      if (name && adminUrl) await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    }
  }
  console.log(
    `\nEvent-loop delay of the thread that serves pages (the engine's with engine inline), ${opts.runs} runs × ${opts.steps} turns (${opts.tool}), load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    table(
      [
        "database",
        "spawner",
        "engine",
        "blocked ms p50 / p99 / p99.9 / max",
        "idle process p99",
        "loop busy",
        "steps/s",
        "ok",
      ],
      results.map((r) => [
        r.db,
        r.spawner,
        r.engine,
        `${fmt(r.p50, 1)} / ${fmt(r.p99, 1)} / ${fmt(r.p999, 1)} / ${fmt(r.max, 0)}`,
        fmt(r.idleP99, 1),
        `${fmt(r.elu * 100, 0)} %`,
        fmt(r.steps / r.wallSec, 0),
        `${r.succeeded}/${opts.runs}`,
      ]),
    ),
  );
}

await main();
