import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { unstorableText } from "@/lib/storable-text";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { attemptKeys, clearFailures, isThrottled, recordFailure } from "./throttle";

export interface SignInAttempt {
  email: string;
  password: string;
  /** The client's address (see clientAddress), or null when unknown. */
  address: string | null;
}

/**
 * Checks an email and password for sign-in. The caller sees one outcome for every refusal (null):
 * unknown email, wrong password and throttled look the same, and an unknown email costs the same
 * scrypt work as a known one.
 */
export async function checkCredentials(attempt: SignInAttempt) {
  const email = attempt.email.trim().toLowerCase();
  const keys = attemptKeys({ email: email || null, address: attempt.address });
  // An email the database can't even compare (NUL, broken unicode) names no account.
  if (!email || unstorableText(email) || (await isThrottled(keys))) return null;
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const ok = user?.passwordHash
    ? await verifyPassword(attempt.password, user.passwordHash)
    : await verifyAgainstDummy(attempt.password);
  if (!user || !ok) {
    await recordFailure(keys);
    return null;
  }
  await clearFailures(email);
  return { id: user.id, email: user.email, name: user.name };
}
