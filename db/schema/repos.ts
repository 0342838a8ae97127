import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./teams";

export const MERGE_STRATEGIES = ["merge", "squash"] as const;
/** What a run's sandbox may reach on the network: nothing, named hosts through Foreman's egress proxy, or any host. */
export const NETWORK_POLICIES = ["none", "allowlist", "open"] as const;
export type NetworkPolicy = (typeof NETWORK_POLICIES)[number];

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
    network: text({ enum: NETWORK_POLICIES }).notNull().default("none"),
    /** Host names (or *.suffix patterns) an allowlist policy lets through the egress proxy. */
    allowedHosts: text().array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.teamId, t.name), index().on(t.teamId)],
);

export type Repository = typeof repositories.$inferSelect;
