// `npm run worker`: a worker process that executes agent runs; start as many as you like, anywhere
// that reaches the database and the repositories. Needs PostgreSQL: on the embedded database the web
// server's engine thread (lib/queue/engine-thread.ts) is the only worker.
import { closeDb } from "@/db";
import { engineClient } from "@/lib/queue/engine-client";
import { defaultConcurrency, startWorker } from "@/lib/queue/worker";
import { describeSandbox, sandboxStatus } from "@/lib/sandbox/status";

if (!process.env.DATABASE_URL) {
  console.error(
    "npm run worker needs DATABASE_URL (PostgreSQL). On the embedded database, `npm start` runs the only worker.",
  );
  process.exit(1);
}
const concurrency = defaultConcurrency();
if (!(concurrency > 0)) {
  console.error("WORKER_CONCURRENCY must be at least 1 for a worker process.");
  process.exit(1);
}
console.log(`[worker] ${describeSandbox(await sandboxStatus())}`);
const worker = await startWorker({ concurrency, client: engineClient });
console.log(`[worker] ${worker.id} taking up to ${concurrency} runs at once`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: handing ${worker.active().length} run(s) back to the queue`);
    await worker.stop({ wait: false });
    await closeDb();
    process.exit(0);
  });
}
