import { and, eq, gt, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { authAttempts } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** Failures are counted until this long passes without one; it is also the longest lock. */
export const WINDOW_MS = 15 * 60_000;
/** Failures per account before it is locked; an address is shared (NAT, offices), so it gets more. */
export const EMAIL_LIMIT = 5;
export const ADDRESS_LIMIT = 20;

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

const limitOf = (key: string) => (key.startsWith("email:") ? EMAIL_LIMIT : ADDRESS_LIMIT);

/**
 * The client's address as Foreman's reverse proxy saw it: the last X-Forwarded-For entry (a proxy that
 * appends puts the real peer last; anything before it came from the client). Next.js itself fills the
 * header with the socket address when no proxy set it. Null when absent, so an unknown address never
 * becomes one bucket that a single attacker could lock for everyone.
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || headers.get("x-real-ip")?.trim() || null;
}

/** The throttle keys of an attempt: the account (when named) and the client address (when known). */
export function attemptKeys(attempt: { email?: string | null; address?: string | null }): string[] {
  const keys: string[] = [];
  if (attempt.email) keys.push(emailKey(attempt.email));
  if (attempt.address) keys.push(addressKey(attempt.address));
  return keys;
}

/** True while any of the keys is locked. */
export async function isThrottled(keys: string[], now = new Date()): Promise<boolean> {
  if (keys.length === 0) return false;
  const db = await getDb();
  const rows = await db
    .select({ key: authAttempts.key })
    .from(authAttempts)
    .where(and(inArray(authAttempts.key, keys), gt(authAttempts.lockedUntil, now)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Counts a failure against each key. At the limit the key is locked for 1 s, and every further failure
 * in the window doubles the lock (2 s, 4 s … capped at 15 min). Attempts refused while locked are not
 * counted: they check no password, and counting them would let anyone keep an account locked forever.
 */
export async function recordFailure(keys: string[], now = new Date()): Promise<void> {
  const db = await getDb();
  for (const key of keys) {
    await db.transaction(async (tx) => {
      await tx.insert(authAttempts).values({ key, lastFailureAt: now }).onConflictDoNothing();
      const [row] = await tx.select().from(authAttempts).where(eq(authAttempts.key, key)).for("update");
      if (!row) return;
      const quiet = now.getTime() - row.lastFailureAt.getTime() > WINDOW_MS;
      const locked = row.lockedUntil !== null && row.lockedUntil > now;
      const fresh = quiet && !locked;
      const failures = fresh ? 1 : row.failures + 1;
      let lockouts = fresh ? 0 : row.lockouts;
      let lockedUntil = fresh ? null : row.lockedUntil;
      if (failures >= limitOf(key)) {
        lockouts += 1;
        const lockMs = Math.min(1000 * 2 ** Math.min(lockouts - 1, 20), WINDOW_MS);
        lockedUntil = new Date(now.getTime() + lockMs);
      }
      await tx
        .update(authAttempts)
        .set({ failures, lockouts, lastFailureAt: now, lockedUntil })
        .where(eq(authAttempts.key, key));
    });
  }
}

/** A successful sign-in clears the account's count; the address keeps its count (one good account
 * must not reset the budget for guessing others). */
export async function clearFailures(email: string): Promise<void> {
  const db = await getDb();
  await db.delete(authAttempts).where(eq(authAttempts.key, emailKey(email)));
}

/**
 * Runs a sign-up or invite acceptance under the throttle: refused while any key is locked, and every
 * refusal by the service (taken email, dead invite link, wrong password to rejoin) counts as a failure.
 */
export async function throttled<T>(keys: string[], attempt: () => Promise<T>): Promise<T> {
  if (await isThrottled(keys)) {
    throw new AppError("rate_limited", "Too many attempts. Wait a few minutes and try again.");
  }
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof AppError) await recordFailure(keys);
    throw error;
  }
}
