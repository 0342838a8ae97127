import path from "node:path";
import { type MessagePort, workerData } from "node:worker_threads";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { acquirePgliteLock } from "./pglite-lock";
import { PgliteThread } from "./pglite-thread";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

type Unlisten = () => Promise<void>;

interface Handle {
  db: Db;
  kind: "postgres" | "pglite";
  /** LISTEN on a channel; PostgreSQL uses a dedicated connection, PGlite its thread's notifications. */
  listen: (channel: string, onPayload: (payload: string) => void) => Promise<Unlisten>;
  /** PGlite: a port for another thread of this process to reach the same database (see below). */
  portForAnotherThread?: () => Promise<MessagePort>;
  close: () => Promise<void>;
}

const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");
// Any fixed number shared by every Foreman process: serialises migrations across processes.
const MIGRATION_LOCK_KEY = 7_360_451_201;

export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.FOREMAN_DATA_DIR ?? ".data");
}

async function openPostgres(url: string): Promise<Handle> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on("error", (error) => console.error("[db] idle connection lost:", error.message));
  const db = drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Db;
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migratePg(db as never, { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
  const listeners = new Set<pg.Client>();
  const listen = async (channel: string, onPayload: (payload: string) => void): Promise<Unlisten> => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    listener.on("notification", (message) => {
      if (message.channel === channel) onPayload(message.payload ?? "");
    });
    listener.on("error", (error) =>
      console.error(`[db] LISTEN ${channel} connection failed:`, error.message),
    );
    await listener.query(`listen ${pg.escapeIdentifier(channel)}`);
    listeners.add(listener);
    return async () => {
      listeners.delete(listener);
      await listener.end().catch(() => {});
    };
  };
  return {
    db,
    kind: "postgres",
    listen,
    close: async () => {
      await Promise.all([...listeners].map((listener) => listener.end().catch(() => {})));
      await pool.end();
    },
  };
}

/**
 * The embedded database runs in a worker thread of its own (db/pglite-thread.ts): PGlite executes every
 * statement synchronously, and on this thread each one would block every page, stream and run meanwhile.
 */
async function openPglite(): Promise<Handle> {
  const dir = dataDir();
  const release = acquirePgliteLock(dir);
  let client: PgliteThread | undefined;
  try {
    client = await PgliteThread.open(path.join(dir, "pglite"));
    // drizzle-orm/pglite needs only `query` and `transaction`, which the thread's client has.
    const db = drizzlePglite(client as never, { schema, casing: "snake_case" }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder });
    const thread = client;
    return {
      db,
      kind: "pglite",
      listen: (channel, onPayload) => thread.listen(channel, onPayload),
      portForAnotherThread: () => thread.portForAnotherThread(),
      close: async () => {
        await thread.close();
        release();
      },
    };
  } catch (error) {
    await client?.close().catch(() => {});
    release();
    throw error;
  }
}

/**
 * In another thread of the process that holds PGlite (the engine's thread), the database is that process's,
 * reached through the port it was started with: already migrated, locked and opened there.
 */
function connectPglite(port: MessagePort): Promise<Handle> {
  const client = PgliteThread.connect(port);
  const db = drizzlePglite(client as never, { schema, casing: "snake_case" }) as unknown as Db;
  return Promise.resolve({
    db,
    kind: "pglite",
    listen: (channel, onPayload) => client.listen(channel, onPayload),
    close: () => client.close(),
  });
}

/** The port this thread was given to the process's embedded database (see `portForAnotherThread`). */
export const PGLITE_PORT_KEY = "foremanPglitePort";
const givenPort = (workerData as Record<string, MessagePort | undefined> | null)?.[PGLITE_PORT_KEY];

const store = globalThis as unknown as { __foremanDb?: Promise<Handle>; __foremanDbGeneration?: number };

/** Changes every time the database is closed, so long-lived listeners know to listen again. */
export function dbGeneration(): number {
  return store.__foremanDbGeneration ?? 0;
}

function open(): Promise<Handle> {
  if (!store.__foremanDb) {
    const url = process.env.DATABASE_URL;
    const opening = givenPort ? connectPglite(givenPort) : url ? openPostgres(url) : openPglite();
    store.__foremanDb = opening.catch((error) => {
      store.__foremanDb = undefined;
      throw error;
    });
  }
  return store.__foremanDb;
}

/** The database, opened and migrated on first use. */
export async function getDb(): Promise<Db> {
  return (await open()).db;
}

export async function databaseKind(): Promise<Handle["kind"]> {
  return (await open()).kind;
}

export async function listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten> {
  return (await open()).listen(channel, onPayload);
}

/**
 * A port for another thread of this process (pass it in that thread's workerData under PGLITE_PORT_KEY);
 * null on PostgreSQL, where a thread opens connections of its own.
 */
export async function databasePortForAnotherThread(): Promise<MessagePort | null> {
  const handle = await open();
  return handle.portForAnotherThread ? handle.portForAnotherThread() : null;
}

export async function closeDb(): Promise<void> {
  const handle = store.__foremanDb;
  store.__foremanDb = undefined;
  store.__foremanDbGeneration = dbGeneration() + 1;
  if (handle) await (await handle).close();
}

/** Rows of a raw `execute()` result; both drivers return `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
