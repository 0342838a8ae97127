// `npm run db:migrate`: opening the database applies any pending migrations (db/index.ts).
import path from "node:path";
import { closeDb, databaseKind, dataDir, getDb } from "@/db";
import { DatabaseInUseError } from "@/db/pglite-lock";

let code = 0;
try {
  await getDb();
  const where =
    (await databaseKind()) === "postgres"
      ? `PostgreSQL at ${describeUrl(process.env.DATABASE_URL ?? "")}`
      : `the embedded database in ${shortPath(path.join(dataDir(), "pglite"))}`;
  console.log(`Migrations applied: ${where} is up to date.`);
} catch (error) {
  console.error(
    error instanceof DatabaseInUseError ? error.message : `Migrating the database failed: ${String(error)}`,
  );
  code = 1;
}
await closeDb().catch(() => {});
process.exit(code);

/** The URL without its password, for the log. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = parsed.password ? "***" : "";
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

/** Relative to the working directory when it is inside it, absolute otherwise. */
function shortPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") ? relative : dir;
}
