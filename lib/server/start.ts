import { databaseKind, getDb } from "@/db";
import { DatabaseInUseError } from "@/db/pglite-lock";

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
}
