// `npm run bench:live -- [--runs N=100] [--steps S=20] [--timeout 600]`
//
// Live delivery at scale, end to end: Foreman as `npm start` runs it on PostgreSQL (web server + worker
// process, production build), N runs assigned at once, each watched from the start by a real SSE
// subscriber on /api/runs/:id/events, and one real Chromium page on the first run's timeline. Each run
// is S model turns of `echo` through bash (in the sandbox) from the fake Messages API in a process of its
// own. It prints figures; it asserts nothing.
//
// Timing, all on this machine's wall clock:
// - persisted: the NOTIFY the engine sends in each event's transaction reaches this process's LISTEN
//   connection (delivered on commit);
// - on the stream: the subscriber here has parsed the event;
// - in the DOM: the page's timeline list has committed the event (its data-last-seq, seen by a
//   MutationObserver in the page).
// Lost: an event the run's stored list holds that its stream never sent before `run_finished`, where the
// subscriber stops as the run page does; duplicated: sent twice.
// RSS per active run: the worker process's RSS over its idle RSS, per run active at that moment, while at
// least three quarters of the peak number of runs are active. Started: each run's first event, from the moment the
// runs were released to the queue (they are inserted held back, while every stream subscribes).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import pg from "pg";
import { freePort } from "../e2e/support/app-process";
import { CHROMIUM_ARGS } from "../playwright.config";
import {
  adminQuery,
  benchStart,
  databaseUrl,
  log,
  makeSourceRepo,
  startFakeModelProcess,
} from "./bench/setup";
import { fmt, quantile, table } from "./bench/stats";

function parseArgs(argv: string[]) {
  const options = { runs: 100, steps: 20, timeoutSec: 600 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const int = () => {
      const n = Number(inline ?? argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
      return n;
    };
    if (flag === "--runs") options.runs = int();
    else if (flag === "--steps") options.steps = int();
    else if (flag === "--timeout") options.timeoutSec = int();
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: npm run bench:live -- [--runs N=100] [--steps S=20] [--timeout 600]");
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

const { options: opts, adminUrl } = benchStart("bench:live", parseArgs);
const N = opts.runs;
const S = opts.steps;
const dbName = `foreman_bench_live_${randomBytes(4).toString("hex")}`;
const benchUrl = databaseUrl(adminUrl, dbName);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bench-live-"));
const root = path.resolve(import.meta.dirname, "..");
const EMAIL = "bench@example.com";
const PASSWORD = "bench-password";
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process, in bytes (0 once it is gone). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The pid listening on a TCP port (the web server), from `ss`. */
function listenerPid(port: number): number {
  try {
    const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
    return Number(/pid=(\d+)/.exec(out)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `npm start` as a person runs it, on the scratch database, with the fake model. */
function startForeman(port: number, modelUrl: string): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: benchUrl,
      PORT: String(port),
      FOREMAN_DATA_DIR: path.join(tmp, "data"),
      ANTHROPIC_API_KEY: "sk-bench",
      ANTHROPIC_BASE_URL: modelUrl,
      WORKER_CONCURRENCY: String(N),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
    });
  }
  return { child, output: () => output };
}

interface Subscriber {
  runId: string;
  /** seq → when it arrived (every arrival, so duplicates show). */
  arrivals: { seq: number; at: number }[];
  connected: Promise<void>;
  ended: Promise<void>;
  isOpen: () => boolean;
  abort: () => void;
}

/**
 * One SSE subscriber on a run's event stream (the dashboard's, /api/runs/:id/events) from its start
 * (after=0); like the run page, it stops at the run's `run_finished`.
 */
function subscribe(base: string, cookie: string, runId: string): Subscriber {
  const controller = new AbortController();
  const arrivals: { seq: number; at: number }[] = [];
  let open = true;
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  const ended = (async () => {
    const response = await fetch(`${base}/api/runs/${runId}/events?after=0`, {
      headers: { accept: "text/event-stream", cookie },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`stream of ${runId}: HTTP ${response.status}`);
    markConnected();
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = response.body.getReader();
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const lines = message.split("\n");
        const type = lines
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim();
        const data = lines.find((line) => line.startsWith("data:"))?.slice(5);
        if (type !== "run_event" || !data) continue;
        const event = JSON.parse(data) as { seq: number; type: string };
        arrivals.push({ seq: event.seq, at: now() });
        // As the dashboard does: the run's last event ends the subscription.
        if (event.type === "run_finished") {
          open = false;
          controller.abort();
          return;
        }
      }
    }
  })()
    .catch((error) => {
      if (!controller.signal.aborted) log(`stream of ${runId} failed: ${(error as Error).message}`);
    })
    .finally(() => {
      open = false;
    });
  return { runId, arrivals, connected, ended, isOpen: () => open, abort: () => controller.abort() };
}

async function main() {
  log(`creating database ${dbName}`);
  await adminQuery(adminUrl, `create database ${pg.escapeIdentifier(dbName)}`);
  process.env.DATABASE_URL = benchUrl;
  process.env.FOREMAN_DATA_DIR = path.join(tmp, "data");
  const { getDb, closeDb } = await import("@/db");
  const { agents, runEvents, runs, tasks } = await import("@/db/schema");
  const { signUp } = await import("@/lib/teams/onboarding");
  const { insertLoadWorkspace } = await import("@/lib/testing/run-fixtures");
  const { and, eq, inArray, sql } = await import("drizzle-orm");

  const db = await getDb(); // applies the migrations before the server starts
  const admin = await signUp({ name: "Bench", email: EMAIL, password: PASSWORD, teamName: "Bench" });
  // Held back (an agent cap of 0) until every stream has subscribed.
  const { repo, agent } = await insertLoadWorkspace(admin, {
    source: makeSourceRepo(path.join(tmp, "source"), "notes\n"),
    runs: N,
    agent: { name: "bench-agent", maxSteps: 200, maxConcurrentRuns: 0 },
  });
  const insertedTasks = await db
    .insert(tasks)
    .values(
      Array.from({ length: N }, (_, i) => ({
        teamId: admin.teamId,
        number: i + 1,
        title: `Live ${i}`,
        prompt: `BENCH-RUN bash ${i}: say hi.`,
        repoId: repo.id,
        agentId: agent.id,
        baseBranch: "main",
        assignedBy: admin.userId,
      })),
    )
    .returning({ id: tasks.id, number: tasks.number });
  const runIds = (
    await db
      .insert(runs)
      .values(
        insertedTasks.map((task) => ({
          teamId: admin.teamId,
          taskId: task.id,
          agentId: agent.id,
          model: "claude-haiku-4-5",
          branch: `bench/live-${task.number}`,
          maxSteps: 200,
          maxCostUsd: 1000,
          maxDurationSec: 24 * 3600,
        })),
      )
      .returning({ id: runs.id })
  ).map((run) => run.id);

  const fake = await startFakeModelProcess(S);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  log(`starting Foreman on ${base} (npm start: builds first if the sources changed)`);
  const foreman = startForeman(port, fake.url);
  const cleanup: (() => Promise<void> | void)[] = [
    () => fake.close(),
    async () => {
      foreman.child.kill("SIGTERM");
      await Promise.race([new Promise((resolve) => foreman.child.once("exit", resolve)), sleep(15_000)]);
    },
  ];
  try {
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      if (foreman.child.exitCode !== null) throw new Error(`Foreman exited:\n${foreman.output()}`);
      const up = await fetch(`${base}/sign-in`, { redirect: "manual" }).then(
        (r) => r.status < 500,
        () => false,
      );
      if (up && /\[worker\] \S+:\d+:\w+ taking up to/.test(foreman.output())) break;
      if (Date.now() > deadline) throw new Error(`Foreman didn't start:\n${foreman.output()}`);
      await sleep(250);
    }
    const workerPid = Number(/\[worker\] \S+:(\d+):\w+ taking up to/.exec(foreman.output())?.[1]);
    const webPid = listenerPid(port);

    // ---- the browser: sign in, open the first run's timeline, watch its list commit events ----
    const browser = await chromium.launch({
      executablePath: process.env.FOREMAN_CHROMIUM ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
    cleanup.unshift(() => browser.close());
    const page = await browser.newPage({ baseURL: base });
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/board$/);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const watched = runIds[0] as string;
    await page.goto(`/runs/${watched}`);
    // A string, not a function: the bundler's helpers (__name) don't exist in the page.
    await page.evaluate(`(() => {
      const seen = [];
      window.__seen = seen;
      let last = 0;
      const mark = () => {
        const list = document.querySelector("ol[data-last-seq]");
        const value = Number(list?.dataset.lastSeq ?? 0);
        if (value > last) {
          last = value;
          seen.push([value, performance.timeOrigin + performance.now()]);
        }
      };
      new MutationObserver(mark).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["data-last-seq"],
      });
      mark();
    })()`);

    // ---- persisted: every event's commit, from the engine's NOTIFY ----
    const persisted = new Map<string, number>();
    const listener = new pg.Client({ connectionString: benchUrl });
    await listener.connect();
    cleanup.unshift(() => listener.end());
    listener.on("notification", (message) => {
      const at = now();
      try {
        const notice = JSON.parse(message.payload ?? "") as { runId: string; seq: number; types?: string[] };
        const count = notice.types?.length ?? 1;
        for (let seq = notice.seq - count + 1; seq <= notice.seq; seq++) {
          const key = `${notice.runId}:${seq}`;
          if (!persisted.has(key)) persisted.set(key, at);
        }
      } catch {
        // not an event notice
      }
    });
    await listener.query("listen run_events");

    // ---- N subscribers, then the runs go ----
    const subscribers = runIds.map((id) => subscribe(base, cookie, id));
    cleanup.unshift(() => {
      for (const s of subscribers) s.abort();
    });
    await Promise.all(subscribers.map((s) => s.connected));
    log(`${N} streams open; releasing ${N} runs of ${S} steps`);
    const idleRss = { worker: rssOf(workerPid), web: rssOf(webPid) };
    const releasedAt = now();
    await db.update(agents).set({ maxConcurrentRuns: N }).where(eq(agents.id, agent.id));
    await db.execute(sql`select pg_notify('run_queue', '')`);

    const samples: { active: number; worker: number; web: number }[] = [];
    const finishedStates = sql`${runs.status} in ('succeeded', 'failed', 'cancelled')`;
    const end = Date.now() + opts.timeoutSec * 1000;
    let lastLog = 0;
    for (;;) {
      const [row] = await db
        .select({
          active: sql<number>`count(*) filter (where ${runs.status} in ('running', 'waiting_approval', 'verifying'))::int`,
          done: sql<number>`count(*) filter (where ${finishedStates})::int`,
        })
        .from(runs)
        .where(inArray(runs.id, runIds));
      samples.push({ active: row?.active ?? 0, worker: rssOf(workerPid), web: rssOf(webPid) });
      if ((row?.done ?? 0) >= N) break;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`${row?.done ?? 0}/${N} runs finished, ${row?.active ?? 0} active`);
      }
      if (Date.now() > end) {
        log(`timed out after ${opts.timeoutSec}s`);
        break;
      }
      await sleep(250);
    }
    // Streams end by themselves once their run's last event is out; give stragglers a few seconds.
    await Promise.race([Promise.all(subscribers.map((s) => s.ended)), sleep(10_000)]);
    const streamsStillOpen = subscribers.filter((s) => s.isOpen()).length;
    const seenInPage = await page.evaluate(
      () => (window as unknown as { __seen: [number, number][] }).__seen,
    );

    // ---- figures ----
    const stored = await db
      .select({ runId: runEvents.runId, seq: runEvents.seq, type: runEvents.type })
      .from(runEvents)
      .where(inArray(runEvents.runId, runIds));
    const storedByRun = new Map<string, { seq: number; type: string }[]>();
    for (const event of stored) {
      const list = storedByRun.get(event.runId) ?? [];
      list.push(event);
      storedByRun.set(event.runId, list);
    }
    let lost = 0;
    let duplicated = 0;
    const toStream: number[] = [];
    for (const subscriber of subscribers) {
      const counts = new Map<number, number>();
      for (const arrival of subscriber.arrivals) {
        counts.set(arrival.seq, (counts.get(arrival.seq) ?? 0) + 1);
        const at = persisted.get(`${subscriber.runId}:${arrival.seq}`);
        if (at !== undefined && (counts.get(arrival.seq) ?? 0) === 1) toStream.push(arrival.at - at);
      }
      for (const count of counts.values()) if (count > 1) duplicated += count - 1;
      for (const event of storedByRun.get(subscriber.runId) ?? []) if (!counts.has(event.seq)) lost++;
    }
    const toDom: number[] = [];
    for (const event of storedByRun.get(watched) ?? []) {
      if (event.type === "status_changed") continue;
      const at = persisted.get(`${watched}:${event.seq}`);
      const shown = seenInPage.find(([seq]) => seq >= event.seq)?.[1];
      if (at !== undefined && shown !== undefined) toDom.push(shown - at);
    }
    const persistTimes = [...persisted.values()];
    const eventsPerSec =
      persistTimes.length / ((Math.max(...persistTimes) - Math.min(...persistTimes)) / 1000);
    const started = runIds.map((id) => persisted.get(`${id}:1`));
    const allStartedSec =
      started.every((t) => t !== undefined) && started.length > 0
        ? (Math.max(...(started as number[])) - releasedAt) / 1000
        : Number.NaN;
    const peakActive = Math.max(0, ...samples.map((s) => s.active));
    const busy = samples.filter((s) => s.active > 0 && s.active >= peakActive * 0.75 && s.worker > 0);
    const perRun = busy.map((s) => (s.worker - idleRss.worker) / s.active).sort((a, b) => a - b);
    const webPerRun = busy.map((s) => (s.web - idleRss.web) / s.active).sort((a, b) => a - b);
    const [statusRow] = await db
      .select({ ok: sql<number>`count(*) filter (where ${finishedStates})::int` })
      .from(runs)
      .where(and(inArray(runs.id, runIds)));
    const sortedStream = [...toStream].sort((a, b) => a - b);
    const sortedDom = [...toDom].sort((a, b) => a - b);
    const MiB = 1024 * 1024;
    const ms = (v: number) => `${fmt(v, 0)} ms`;

    console.log(
      `\nbench:live — ${N} runs × ${S} steps (bash echo in the sandbox), a stream each, one Chromium page; ${os.cpus().length} cores, PostgreSQL, web + worker process\n`,
    );
    console.log(
      table(
        ["figure", "value", "target"],
        [
          ["runs finished", `${statusRow?.ok ?? 0} / ${N}`, ""],
          ["events stored", fmt(stored.length), ""],
          ["events/s (persisted)", fmt(eventsPerSec, 0), ""],
          ["stream delivery p50", ms(quantile(sortedStream, 0.5)), ""],
          ["stream delivery p95", ms(quantile(sortedStream, 0.95)), "≤ 100 ms"],
          ["stream delivery max", ms(sortedStream.at(-1) ?? Number.NaN), ""],
          ["DOM delivery p50 (one page)", ms(quantile(sortedDom, 0.5)), ""],
          ["DOM delivery p95", ms(quantile(sortedDom, 0.95)), "≤ 150 ms"],
          ["DOM delivery max", ms(sortedDom.at(-1) ?? Number.NaN), ""],
          ["lost events", fmt(lost), "0"],
          ["duplicated events", fmt(duplicated), "0"],
          ["streams that never got run_finished", fmt(streamsStillOpen), "0"],
          ["RSS per active run (worker)", `${fmt(quantile(perRun, 0.5) / MiB, 2)} MiB`, "≤ 2 MiB"],
          ["RSS per active run (web server)", `${fmt(quantile(webPerRun, 0.5) / MiB, 2)} MiB`, ""],
          ["peak active runs", fmt(peakActive), ""],
          ["all runs started after", `${fmt(allStartedSec, 2)} s`, "≤ 5 s"],
        ],
      ),
    );
    log(`idle RSS: worker ${fmt(idleRss.worker / MiB, 0)} MiB, web ${fmt(idleRss.web / MiB, 0)} MiB`);
  } finally {
    for (const step of cleanup) await Promise.resolve(step()).catch(() => {});
    await closeDb().catch(() => {});
    await adminQuery(adminUrl, `drop database if exists ${pg.escapeIdentifier(dbName)} with (force)`).catch(
      (error) => log(`dropping ${dbName} failed: ${(error as Error).message}`),
    );
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
