import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./teams";

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** sha256 of the token; the token is shown once and never stored. */
    tokenHash: text().notNull().unique(),
    /** First characters of the token, to recognise it in lists. */
    prefix: text().notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.teamId)],
);

export type ApiToken = typeof apiTokens.$inferSelect;
