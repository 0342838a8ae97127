import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { Pool } from "pg";
import { acquirePgliteLock } from "./pglite-lock";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface Handle {
  db: Db;
  kind: "postgres" | "pglite";
  close: () => Promise<void>;
}

const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");
// Any fixed number shared by every Foreman process: serialises migrations across processes.
const MIGRATION_LOCK_KEY = 7_360_451_201;

export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.FOREMAN_DATA_DIR ?? ".data");
}

async function openPostgres(url: string): Promise<Handle> {
  const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const db = drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Db;
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migratePg(db as never, { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
  return { db, kind: "postgres", close: () => pool.end() };
}

async function openPglite(): Promise<Handle> {
  const dir = dataDir();
  const release = acquirePgliteLock(dir);
  try {
    const client = new PGlite(path.join(dir, "pglite"));
    await client.waitReady;
    const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder });
    return {
      db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

const store = globalThis as unknown as { __foremanDb?: Promise<Handle> };

function open(): Promise<Handle> {
  if (!store.__foremanDb) {
    const url = process.env.DATABASE_URL;
    store.__foremanDb = (url ? openPostgres(url) : openPglite()).catch((error) => {
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

export async function closeDb(): Promise<void> {
  const handle = store.__foremanDb;
  store.__foremanDb = undefined;
  if (handle) await (await handle).close();
}
