import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed sign-in (and sign-up) attempts per key ("email:…" or "address:…"), shared by every process.
 * A row is a counter, not a log: it is reset after a quiet window or a successful sign-in.
 */
export const authAttempts = pgTable("auth_attempts", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  /** How many times the key has been locked in the current window: the lock doubles each time. */
  lockouts: integer().notNull().default(0),
  lastFailureAt: timestamp({ withTimezone: true }).notNull(),
  lockedUntil: timestamp({ withTimezone: true }),
});

export type AuthAttempt = typeof authAttempts.$inferSelect;
