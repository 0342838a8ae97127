// A worker takes runs from the queue, up to its concurrency, and executes them. The web server runs one
// in-process (WORKER_CONCURRENCY, 0 turns it off); `npm run worker` starts more on any machine that
// reaches the database and the repositories.
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import os from "node:os";
import type Anthropic from "@anthropic-ai/sdk";
import { listen } from "@/db";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun, QUEUE_CHANNEL } from "./claim";

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

export const defaultConcurrency = () => Number(process.env.WORKER_CONCURRENCY ?? 4);

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
          const run = await claimRun(id);
          if (!run) break;
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
        }
      } while (again && !stopped);
    } catch (error) {
      console.error("[worker] claiming failed:", error instanceof Error ? error.message : error);
    } finally {
      ticking = false;
    }
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
