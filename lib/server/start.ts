import { closeDb, databaseKind, getDb } from "@/db";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { startOverlapWatcher } from "@/lib/conflicts/watch";
import { startMergeQueue } from "@/lib/merge-queue/drain";
import { startBackgroundCompaction } from "@/lib/metrics/rollup/background";
import { type EngineThread, startEngineThread } from "@/lib/queue/engine-thread";
import { defaultConcurrency } from "@/lib/queue/worker";
import { describeSandbox, sandboxStatus } from "@/lib/sandbox/status";
import { startArchiveSweep } from "@/lib/tasks/archive";

let stopping = false;
let engine: EngineThread | null = null;
let stopCompaction: (() => void) | null = null;
let stopOverlaps: (() => void) | null = null;
let stopMergeQueue: (() => void) | null = null;
let stopArchiveSweep: (() => void) | null = null;

/** Closes the database cleanly (PGlite flushes and releases its lock) before the process exits. */
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`[foreman] ${signal}: closing the database`);
  stopCompaction?.();
  stopOverlaps?.();
  stopMergeQueue?.();
  stopArchiveSweep?.();
  await engine?.stop().catch(() => {});
  await closeDb().catch((error) => console.error("[foreman] closing the database failed:", error));
  process.exit(0);
}

/** Opens the database and applies migrations before the first request; refuses to share PGlite. */
export async function startServer(): Promise<void> {
  try {
    await getDb();
    console.log(`[foreman] database ready (${await databaseKind()}), migrations applied`);
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      console.error(`[foreman] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // The metrics rollup's dirty days, compacted in the background (lib/metrics/rollup/background.ts).
  stopCompaction = startBackgroundCompaction();
  // Discarded tasks' archived branches, deleted once the team's retention period passes (lib/tasks/archive.ts).
  stopArchiveSweep = startArchiveSweep();
  // Predicted conflicts between open branches (lib/conflicts), kept current in the background.
  stopOverlaps = await startOverlapWatcher().catch((error) => {
    console.error("[overlaps] not watching:", error instanceof Error ? error.message : error);
    return null;
  });
  // Merges waiting in a queue whose process is gone (lib/merge-queue).
  stopMergeQueue = startMergeQueue();
  const concurrency = defaultConcurrency();
  const sandbox = await sandboxStatus();
  console.log(`[foreman] ${describeSandbox(sandbox)}`);
  if (concurrency > 0) {
    // Agent work never runs on the thread that serves pages and streams (lib/queue/engine-thread.ts).
    engine = await startEngineThread({ concurrency });
    console.log(
      `[foreman] worker ${engine.id()} in a thread of the web server takes up to ${concurrency} runs at once`,
    );
  }
  // Our launchers set NEXT_MANUAL_SIG_HANDLE so that this handler, not Next's, decides when to exit.
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  }
}
