// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) executes every statement
// synchronously on the thread that holds it, so it lives here and the server's thread only sends requests
// and receives results (db/pglite-thread.ts, which also describes the messages). Plain JavaScript because
// Node loads it as it is, under `next start` as under tsx: it is never bundled. Its clients: the thread that
// opened it (parentPort), and any thread given a port by that one (the engine's thread, lib/queue/engine-thread).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const port = parentPort;
if (!port) throw new Error("db/pglite-worker.mjs runs only as a worker thread");

/** Rejects a transaction's callback so that PGlite rolls it back; not an error to report. */
const ROLLBACK = Symbol("rollback");
/** Types whose text the client keeps as it is: drizzle parses dates and intervals itself. */
const keepText = (value) => value;

/** Open transactions by id: PGlite's handle, how to end it, whom to tell when it has ended, its client. */
const transactions = new Map();
let nextTransaction = 1;

/** A PostgreSQL error keeps its fields (code, constraint, detail…) across the thread boundary. */
function serializeError(error) {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const fields = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (key === "queryOptions" || typeof value === "function") continue;
    if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value))
      fields[key] = value;
  }
  return fields;
}

function queryOptions(options) {
  if (!options) return undefined;
  const parsers = {};
  for (const type of options.textTypes ?? []) parsers[type] = keepText;
  return { rowMode: options.rowMode, parsers };
}

/** A transaction's COMMIT (or ROLLBACK) is done: answer the client's "end". */
function settle(id, error) {
  const entry = transactions.get(id);
  transactions.delete(id);
  if (error) entry?.done?.reject(error);
  else entry?.done?.resolve(null);
}

const db = new PGlite(workerData.dataDir);

/**
 * Handles one request of a client (its port, and its LISTEN subscriptions by the id it gave them, each with
 * its UNLISTEN); resolves to its result, or throws the error to report.
 */
async function handle(client, message) {
  switch (message.op) {
    case "query": {
      const target = message.tx ? transactions.get(message.tx)?.tx : db;
      if (!target) throw new Error("Transaction is closed");
      return await target.query(message.sql, message.params, queryOptions(message.options));
    }
    case "begin": {
      const id = nextTransaction++;
      return await new Promise((resolve, reject) => {
        let began = false;
        // The callback runs after BEGIN and holds PGlite's transaction lock until the client ends it:
        // every other statement waits, as it would for a transaction on the server's own thread.
        db.transaction(
          (tx) =>
            new Promise((commit, rollback) => {
              began = true;
              transactions.set(id, {
                tx,
                end: (ok) => (ok ? commit() : rollback(ROLLBACK)),
                done: null,
                client,
              });
              resolve(id);
            }),
        ).then(
          () => settle(id, null),
          (error) => (began ? settle(id, error === ROLLBACK ? null : error) : reject(error)),
        );
      });
    }
    case "end": {
      const entry = transactions.get(message.tx);
      if (!entry) throw new Error("Transaction is closed");
      const outcome = new Promise((resolve, reject) => {
        entry.done = { resolve, reject };
      });
      entry.end(message.commit);
      return await outcome;
    }
    case "listen": {
      const { sub, channel } = message;
      client.subscriptions.set(
        sub,
        await db.listen(channel, (payload) => client.port.postMessage({ type: "notify", sub, payload })),
      );
      return null;
    }
    case "unlisten": {
      const unlisten = client.subscriptions.get(message.sub);
      client.subscriptions.delete(message.sub);
      await unlisten?.();
      return null;
    }
    case "attach":
      serve(message.port);
      return null;
    case "close":
      if (client.port !== port) throw new Error("Only the thread that opened the database closes it");
      await db.close();
      return null;
    default:
      throw new Error(`unknown request ${message.op}`);
  }
}

/**
 * Answers a client's requests on its port. When a client goes away (its thread ended or crashed), its open
 * transactions roll back, so that PGlite's transaction lock is never held for a client that is gone, and its
 * LISTENs end.
 */
function serve(clientPort) {
  const client = { port: clientPort, subscriptions: new Map() };
  clientPort.on("message", (message) => {
    handle(client, message).then(
      (result) => clientPort.postMessage({ type: "reply", id: message.id, ok: true, result }),
      (error) =>
        clientPort.postMessage({ type: "reply", id: message.id, ok: false, error: serializeError(error) }),
    );
  });
  clientPort.on("close", () => {
    for (const entry of transactions.values()) if (entry.client === client) entry.end(false);
    for (const unlisten of client.subscriptions.values()) void unlisten().catch(() => {});
    client.subscriptions.clear();
  });
}

serve(port);

db.waitReady.then(
  () => port.postMessage({ type: "ready" }),
  (error) => port.postMessage({ type: "failed", error: serializeError(error) }),
);
