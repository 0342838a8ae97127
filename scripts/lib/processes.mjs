// The processes of a Foreman server: the web server (`next start`) and, on PostgreSQL, a worker process of
// its own that executes agent runs, so page loads and live streams never wait behind tool spawns and model
// parsing. FOREMAN_WORKER=web keeps the worker inside the web server's process, in a thread of its own (the
// only choice on PGlite, whose database one process holds: lib/queue/engine-thread.ts). Signals go to both; the worker is restarted if it dies, the server stops
// if the web server does.
import { spawn } from "node:child_process";
import { root } from "./build.mjs";

/** "process" (a worker process beside the web server) or "web" (the worker runs in a thread of it). */
export function workerMode(env = process.env) {
  if (!env.DATABASE_URL) return "web";
  const mode = (env.FOREMAN_WORKER ?? "process").trim();
  if (mode !== "process" && mode !== "web") {
    console.error(`[foreman] FOREMAN_WORKER must be "process" or "web", not "${mode}".`);
    process.exit(1);
  }
  return mode;
}

const RESTART_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Starts `web` (argv for node) and, in "process" mode, a worker process; exits the launcher with the web
 * server's code once both have stopped. `companions` (processes of the caller's) are stopped with them.
 */
export function startServerProcesses({ web, env, companions = [] }) {
  const mode = workerMode(env);
  const children = new Set();
  let stopping = false;

  const webChild = spawn(process.execPath, web, {
    stdio: "inherit",
    cwd: root,
    // In process mode the web server runs no worker of its own.
    env: mode === "process" ? { ...env, WORKER_CONCURRENCY: "0" } : env,
  });
  children.add(webChild);

  let crashes = 0;
  const startWorker = () => {
    const worker = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"],
      { stdio: "inherit", cwd: root, env },
    );
    const startedAt = Date.now();
    children.add(worker);
    worker.on("exit", (code, signal) => {
      children.delete(worker);
      if (stopping) return finish();
      // A worker that ran a while before dying starts again at once; one that keeps dying, ever slower.
      crashes = Date.now() - startedAt > 60_000 ? 0 : crashes + 1;
      const delay = RESTART_MS[Math.min(crashes, RESTART_MS.length - 1)];
      console.error(
        `[foreman] the worker process exited (${signal ?? `code ${code}`}); starting another in ${delay / 1000} s`,
      );
      setTimeout(() => {
        if (!stopping) startWorker();
      }, delay);
    });
  };
  if (mode === "process") startWorker();

  let webCode = 0;
  const finish = () => {
    if (children.size === 0) process.exit(webCode);
  };
  const stop = (signal) => {
    stopping = true;
    for (const child of [...children, ...companions]) child.kill(signal);
  };
  webChild.on("exit", (code, signal) => {
    children.delete(webChild);
    webCode = code ?? (signal && !stopping ? 1 : 0);
    stop("SIGTERM");
    finish();
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));
  return mode;
}
