import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { getDb, rowsOf, type Tx } from "@/db";

/**
 * Runs one aggregate query; numbers come back as float8/int casts so both drivers give JS numbers. The query
 * may be built from what earlier statements read (the rollup's dirty days): one repeatable-read snapshot
 * for all of them.
 */
export async function queryRows<T>(query: SQL | ((tx: Tx) => Promise<SQL>)): Promise<T[]> {
  const db = await getDb();
  return db.transaction(
    async (tx) => {
      // These aggregates look costly to the planner, which then JIT-compiles them: on a year of data that
      // compilation alone took ~500 ms of a 1 s query, while execution takes tens of ms. Off for them only.
      await tx.execute(sql`set local jit = off`);
      // A dirty day's few hundred runs join their tasks by primary key; at the default cost of a random page
      // (4, for disks) the planner hashes every task of the team instead, ten times slower on a year of data.
      await tx.execute(sql`set local random_page_cost = 1.1`);
      return rowsOf<T>(await tx.execute(typeof query === "function" ? await query(tx) : query));
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Milliseconds between two timestamptz expressions, as float8. */
export const MS = (later: string, earlier: string) => `(extract(epoch from (${later} - ${earlier})) * 1000)`;
