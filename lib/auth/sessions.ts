import { eq, sql } from "drizzle-orm";
import { type Db, getDb, type Tx } from "@/db";
import { users } from "@/db/schema";

/** The version a new session copies into its token; null for an unknown user. */
export async function currentSessionVersion(userId: string): Promise<number | null> {
  const db = await getDb();
  const [row] = await db
    .select({ sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, userId));
  return row?.sessionVersion ?? null;
}

/**
 * Ends every browser session of this person, in every process: the next request compares its token's
 * version with the database and finds it stale. API tokens are separate (revoked one by one).
 */
export async function endSessions(userId: string, tx?: Tx | Db): Promise<void> {
  const db = tx ?? (await getDb());
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

/**
 * Sign-out: ends every session of the person whose still-current session this is. Sessions are
 * stateless JWTs, so this is "sign out everywhere": the version bump is what makes a copied cookie
 * stop working. A stale token changes nothing (its sessions have already ended).
 */
export async function signOutSession(token: { sub?: string | null; sv?: unknown }): Promise<void> {
  if (!token.sub || typeof token.sv !== "number") return;
  if (token.sv === (await currentSessionVersion(token.sub))) await endSessions(token.sub);
}
