// Agent work in the web server's process runs in a thread of its own, so that page loads and live streams
// never wait behind model parsing, tool results and the engine's statements on the server's thread. On the
// embedded database, where one process holds the data, this is how `npm start` runs agents; the thread
// reaches PGlite through a port to the database's own thread (db/index.ts). A thread that dies is started
// again, ever slower if it keeps dying; its runs' leases expire and the new thread resumes them.
import path from "node:path";
import { Worker } from "node:worker_threads";
import { databasePortForAnotherThread, PGLITE_PORT_KEY } from "@/db";

const bootFile = path.join(
  /* turbopackIgnore: true */ process.cwd(),
  "lib",
  "queue",
  "engine-thread-boot.mjs",
);
const RESTART_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const STOP_TIMEOUT_MS = 10_000;

export interface EngineThread {
  /** The queue worker's id in the thread that runs now. */
  id: () => string | null;
  /** Hands the thread's runs back to the queue, closes its database handle and ends the thread. */
  stop: () => Promise<void>;
}

type FromThread = { type: "started"; id: string } | { type: "stopped" };

/** Starts the engine thread; resolves once its worker takes runs. */
export async function startEngineThread(options: { concurrency: number }): Promise<EngineThread> {
  let current: Worker | null = null;
  let workerId: string | null = null;
  let stopping = false;
  let crashes = 0;

  const spawnThread = async (): Promise<void> => {
    const port = await databasePortForAnotherThread();
    const thread = new Worker(bootFile, {
      workerData: { concurrency: options.concurrency, ...(port ? { [PGLITE_PORT_KEY]: port } : {}) },
      transferList: port ? [port] : [],
      execArgv: ["--conditions=react-server"],
    });
    current = thread;
    const startedAt = Date.now();
    const started = new Promise<void>((resolve, reject) => {
      thread.on("message", (message: FromThread) => {
        if (message.type === "started") {
          workerId = message.id;
          resolve();
        }
      });
      thread.once("error", (error) => {
        console.error("[engine] the engine thread failed:", error);
        reject(error);
      });
      thread.once("exit", (code) => {
        current = null;
        workerId = null;
        reject(new Error(`the engine thread exited (code ${code}) before it started`));
        if (stopping) return;
        crashes = Date.now() - startedAt > 60_000 ? 0 : crashes + 1;
        const delay = RESTART_MS[Math.min(crashes, RESTART_MS.length - 1)] ?? 30_000;
        console.error(
          `[engine] the engine thread exited (code ${code}); starting another in ${delay / 1000} s`,
        );
        setTimeout(() => {
          if (!stopping) spawnThread().catch((error) => console.error("[engine] restart failed:", error));
        }, delay).unref();
      });
    });
    await started;
  };

  await spawnThread();
  return {
    id: () => workerId,
    stop: async () => {
      stopping = true;
      const thread: Worker | null = current;
      if (!thread) return;
      const stopped = new Promise<void>((resolve) => {
        thread.on("message", (message: FromThread) => message.type === "stopped" && resolve());
        thread.once("exit", () => resolve());
        setTimeout(resolve, STOP_TIMEOUT_MS).unref();
      });
      thread.postMessage({ type: "stop" });
      await stopped;
      await thread.terminate();
    },
  };
}
