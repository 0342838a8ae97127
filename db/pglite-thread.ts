import path from "node:path";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { QueryOptions, Results } from "@electric-sql/pglite";

/**
 * The embedded database, run in a worker thread of its own (db/pglite-worker.mjs). PGlite executes each
 * statement synchronously in WebAssembly, so on the server's thread every query blocked every page, live
 * stream and agent run for as long as it took; here that thread only posts requests and reads results.
 *
 * The client has the part of PGlite's interface that drizzle-orm/pglite uses (`query`, `transaction`), plus
 * `listen` and `close`. Messages: {id, op: "query", sql, params, options, tx?} | {id, op: "begin"} →
 * transaction id | {id, op: "end", tx, commit} | {id, op: "listen", sub, channel} | {id, op: "unlisten", sub}
 * | {id, op: "attach", port} | {id, op: "close"}; the worker answers {type: "reply", id, ok, result | error},
 * and posts {type: "notify", sub, payload} for each NOTIFY on a subscribed channel.
 *
 * Another thread of the process (the engine's, lib/queue/engine-thread.ts) reaches the same database through
 * a port of its own: `portForAnotherThread()` here, `PgliteThread.connect(port)` there.
 */

type Request =
  | { op: "query"; sql: string; params: unknown[]; options?: WireOptions; tx?: number }
  | { op: "begin" }
  | { op: "end"; tx: number; commit: boolean }
  | { op: "listen"; sub: number; channel: string }
  | { op: "unlisten"; sub: number }
  | { op: "attach"; port: MessagePort }
  | { op: "close" };

/** Parsers are functions and can't cross to the worker: a type with one keeps its text (all drizzle asks). */
interface WireOptions {
  rowMode?: "array" | "object";
  textTypes: number[];
}

type Reply = { type: "reply"; id: number; ok: true; result: unknown } | ErrorReply;
type ErrorReply = { type: "reply"; id: number; ok: false; error: SerializedError };
type WorkerMessage =
  | Reply
  | { type: "notify"; sub: number; payload: string }
  | { type: "ready" }
  | { type: "failed"; error: SerializedError };
interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}
type SerializedError = { name: string; message: string; stack?: string } & Record<string, unknown>;

/** What drizzle-orm/pglite's transaction callback receives. */
export interface ThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
}

const workerFile = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "pglite-worker.mjs");

/** An error from the worker, with its PostgreSQL fields (code, constraint…) as PGlite raised them. */
function revive(serialized: SerializedError): Error {
  const { name, message, stack, ...fields } = serialized;
  const error = Object.assign(new Error(message), fields);
  error.name = name;
  if (stack) error.stack = `${stack}\n    at (the embedded database's thread)`;
  return error;
}

function wireOptions(options: QueryOptions | undefined): WireOptions | undefined {
  if (!options) return undefined;
  return { rowMode: options.rowMode, textTypes: Object.keys(options.parsers ?? {}).map(Number) };
}

export class PgliteThread {
  /** The database's thread itself (for the thread that opened it), or a port to it (for any other). */
  readonly #endpoint: Worker | MessagePort;
  readonly #pending = new Map<number, Waiter>();
  readonly #subscriptions = new Map<number, (payload: string) => void>();
  #nextId = 1;
  #stopped: Error | null = null;

  private constructor(endpoint: Worker | MessagePort) {
    this.#endpoint = endpoint;
    endpoint.on("message", (message: WorkerMessage) => this.#receive(message));
    if (endpoint instanceof Worker) {
      endpoint.on("error", (error) => this.#stop(error));
      endpoint.on("exit", (code) =>
        this.#stop(new Error(`The embedded database's thread exited (code ${code})`)),
      );
    } else {
      endpoint.on("close", () => this.#stop(new Error("The embedded database was closed")));
      endpoint.unref();
    }
  }

  /** Opens PGlite on `dataDir` in a new thread; resolves once the database is ready. */
  static open(dataDir: string): Promise<PgliteThread> {
    const worker = new Worker(workerFile, { workerData: { dataDir } });
    const client = new PgliteThread(worker);
    return new Promise((resolve, reject) => {
      client.#pending.set(0, {
        resolve: () => resolve(client),
        reject: (error) => {
          void worker.terminate();
          reject(error);
        },
      });
    });
  }

  /** The client of another thread, on a port from `portForAnotherThread()`. */
  static connect(port: MessagePort): PgliteThread {
    return new PgliteThread(port);
  }

  /**
   * A port to this database for another thread of the process (transfer it to that thread). That thread's
   * open transactions roll back and its LISTENs end when the thread goes away.
   */
  async portForAnotherThread(): Promise<MessagePort> {
    const { port1, port2 } = new MessageChannel();
    await this.#request({ op: "attach", port: port2 }, [port2]);
    return port1;
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.#request({ op: "query", sql, params, options: wireOptions(options) }) as Promise<Results<T>>;
  }

  /**
   * BEGIN in the worker, `fn`'s statements inside it, then COMMIT, or ROLLBACK when `fn` throws. The worker
   * holds PGlite's transaction lock meanwhile, so no other statement runs inside this transaction.
   */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const id = (await this.#request({ op: "begin" })) as number;
    let open = true;
    const tx: ThreadTransaction = {
      query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions) => {
        if (!open) return Promise.reject(new Error("Transaction is closed"));
        return this.#request({ op: "query", sql, params, options: wireOptions(options), tx: id }) as Promise<
          Results<R>
        >;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      open = false;
      await this.#request({ op: "end", tx: id, commit: false }).catch(() => {});
      throw error;
    }
    open = false;
    await this.#request({ op: "end", tx: id, commit: true });
    return result;
  }

  /** LISTEN on `channel`; notifications committed by any statement of this database reach `onPayload`. */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const sub = this.#nextId++;
    this.#subscriptions.set(sub, onPayload);
    try {
      await this.#request({ op: "listen", sub, channel });
    } catch (error) {
      this.#subscriptions.delete(sub);
      throw error;
    }
    return async () => {
      if (!this.#subscriptions.delete(sub)) return;
      await this.#request({ op: "unlisten", sub }).catch(() => {});
    };
  }

  /**
   * The thread that opened the database closes PGlite (it flushes its files) and ends its thread; another
   * thread only lets go of its port.
   */
  async close(): Promise<void> {
    const endpoint = this.#endpoint;
    if (endpoint instanceof Worker) {
      if (!this.#stopped) await this.#request({ op: "close" });
      await endpoint.terminate();
    } else {
      endpoint.close();
      this.#stop(new Error("The embedded database was closed"));
    }
  }

  #request(request: Request, transfer: MessagePort[] = []): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    // The thread keeps the process alive only while an answer is awaited, as a socket would.
    if (this.#pending.size === 0) this.#endpoint.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#endpoint.postMessage({ id, ...request }, transfer);
    });
  }

  #settle(id: number): Waiter | undefined {
    const waiter = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0 && !this.#stopped) this.#endpoint.unref();
    return waiter;
  }

  #receive(message: WorkerMessage) {
    switch (message.type) {
      case "notify":
        this.#subscriptions.get(message.sub)?.(message.payload);
        return;
      case "ready":
        this.#settle(0)?.resolve(undefined);
        return;
      case "failed":
        this.#settle(0)?.reject(revive(message.error));
        return;
      case "reply": {
        const waiter = this.#settle(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(revive(message.error));
      }
    }
  }

  /** The thread is gone (crashed, or closed): everything still waiting fails instead of hanging. */
  #stop(error: Error) {
    if (this.#stopped) return;
    this.#stopped = error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
    this.#subscriptions.clear();
  }
}
