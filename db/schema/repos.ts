import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./teams";

export const MERGE_STRATEGIES = ["merge", "squash"] as const;

export const repositories = pgTable(
  "repositories",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** A local path or a clone URL; Foreman works in its own clone of it. */
    source: text().notNull(),
    defaultBranch: text().notNull(),
    setupCommand: text(),
    testCommand: text(),
    mergeStrategy: text({ enum: MERGE_STRATEGIES }).notNull().default("merge"),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.teamId, t.name), index().on(t.teamId)],
);

export type Repository = typeof repositories.$inferSelect;
