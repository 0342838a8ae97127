// The body of the engine thread (lib/queue/engine-thread.ts): the queue's worker, with the database reached
// through the port the thread was given on PGlite (db/index.ts), or connections of its own on PostgreSQL.
// Messages from the web server's thread: "stop" (hand the runs back and close); to it: {type: "started", id}
// and {type: "stopped"}.
import { parentPort, workerData } from "node:worker_threads";
import { closeDb } from "@/db";
import { engineClient } from "@/lib/queue/engine-client";
import { startWorker } from "@/lib/queue/worker";

const port = parentPort;
if (!port) throw new Error("lib/queue/engine-thread-main.ts runs only as a worker thread");
const { concurrency } = workerData as { concurrency: number };

const worker = await startWorker({ concurrency, client: engineClient });
port.postMessage({ type: "started", id: worker.id });

port.on("message", async (message: { type?: string }) => {
  if (message?.type !== "stop") return;
  await worker.stop({ wait: false }).catch(() => {});
  await closeDb().catch(() => {});
  port.postMessage({ type: "stopped" });
});
