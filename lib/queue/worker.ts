// A worker takes runs from the queue, up to its concurrency, and executes them. The web server runs one in
// a thread of its own (lib/queue/engine-thread.ts; WORKER_CONCURRENCY, 0 turns it off); `npm run worker`
// starts more on any machine that reaches the database and the repositories.
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import os from "node:os";
import type Anthropic from "@anthropic-ai/sdk";
import { listen } from "@/db";
import type { Run } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRuns, QUEUE_CHANNEL } from "./claim";

/** Runs claimed in one statement, at most. */
const CLAIM_BATCH = 25;

export interface WorkerOptions {
  concurrency: number;
  /** The client for a run's model; throws (and the run fails, saying why) when that model can't be called. */
  client: (model: string) => Anthropic;
  workerId?: string;
  /** How often to look for runs whose worker died (their lease expired), besides queue notifications. */
  sweepMs?: number;
}

export interface Worker {
  id: string;
  /** Runs currently executing in this worker. */
  active: () => string[];
  /**
   * Stops claiming. wait: true lets current runs finish; wait: false stops them at once (their tool
   * processes are killed) and hands them back to the queue for another worker to resume.
   */
  stop: (options?: { wait?: boolean }) => Promise<void>;
}

/** Runs per process when WORKER_CONCURRENCY isn't set: runs wait on the model almost all the time. */
export const MAX_DEFAULT_CONCURRENCY = 50;
/** Memory kept per run slot when choosing the default (the run itself, its tools' buffers, a command). */
const MEMORY_PER_RUN = 256 * 1024 * 1024;

/**
 * How many runs one process takes at once: WORKER_CONCURRENCY, or one per 256 MiB of the machine's
 * memory, at most 50 (so 50 on a machine with 12.5 GiB or more, 8 on 2 GiB, never below 2).
 */
export function defaultConcurrency(
  env: NodeJS.ProcessEnv = process.env,
  totalMemory = os.totalmem(),
): number {
  const configured = env.WORKER_CONCURRENCY?.trim();
  if (configured) {
    if (!/^\d{1,4}$/.test(configured)) {
      throw new Error(
        `WORKER_CONCURRENCY must be a whole number of runs (0 turns the web server's worker off), not "${configured}".`,
      );
    }
    return Number(configured);
  }
  return Math.max(2, Math.min(MAX_DEFAULT_CONCURRENCY, Math.floor(totalMemory / MEMORY_PER_RUN)));
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const id = options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const active = new Map<string, Promise<void>>();
  let stopped = false;
  const shutdown = new AbortController();
  // Every active run listens on the one shutdown signal.
  setMaxListeners(0, shutdown.signal);
  let ticking = false;
  let again = false;

  const tick = async () => {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        while (!stopped && active.size < options.concurrency) {
          const claimed = await claimRuns(id, Math.min(CLAIM_BATCH, options.concurrency - active.size));
          if (claimed.length === 0) break;
          for (const run of claimed) start(run);
        }
      } while (again && !stopped);
    } catch (error) {
      console.error("[worker] claiming failed:", error instanceof Error ? error.message : error);
    } finally {
      ticking = false;
    }
  };

  const start = (run: Run) => {
    const execution = executeRun(run, {
      workerId: id,
      client: options.client,
      shutdown: shutdown.signal,
    })
      .catch((error) => console.error(`[worker] run ${run.id} crashed:`, error))
      .finally(() => {
        active.delete(run.id);
        void tick();
      });
    active.set(run.id, execution);
  };

  const unlisten = await listen(QUEUE_CHANNEL, () => void tick());
  const sweep = setInterval(() => void tick(), options.sweepMs ?? 5000);
  void tick();

  return {
    id,
    active: () => [...active.keys()],
    stop: async ({ wait = true } = {}) => {
      stopped = true;
      clearInterval(sweep);
      await unlisten().catch(() => {});
      if (!wait) shutdown.abort();
      await Promise.all(active.values());
    },
  };
}
