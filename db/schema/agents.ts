import { sql } from "drizzle-orm";
import { integer, jsonb, numeric, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { DEFAULT_AGENT_CONCURRENCY } from "../../lib/queue/caps";
import { teams, users } from "./teams";

export interface SandboxLimitOverrides {
  memoryMb?: number;
  maxProcesses?: number;
  cpuSeconds?: number;
  outputKb?: number;
}

export const agents = pgTable(
  "agents",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text().notNull(),
    model: text().notNull(),
    systemPrompt: text().notNull().default(""),
    maxSteps: integer().notNull().default(50),
    maxCostUsd: numeric({ precision: 12, scale: 4, mode: "number" }).notNull().default(5),
    maxDurationSec: integer().notNull().default(1800),
    /** Per-command bash timeout. */
    bashTimeoutSec: integer().notNull().default(120),
    /** How many runs of this agent may execute at once; the rest wait in the queue. */
    maxConcurrentRuns: integer().notNull().default(DEFAULT_AGENT_CONCURRENCY),
    /** Overrides of the sandbox's per-command limits (memory, processes, CPU time, output); unset: defaults. */
    sandboxLimits: jsonb().$type<SandboxLimitOverrides>().notNull().default({}),
    /** Extended thinking budget in tokens; null sends no thinking setting (the model's default). */
    thinkingBudget: integer(),
    /** Regular expressions; a bash command matching one waits for a human's approval. */
    riskyPatterns: text().array().notNull().default(sql`'{}'::text[]`),
    /** Free-text rules, one per line, given to the model and checked where the engine can. */
    rules: text().array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.teamId, t.name)],
);

export type Agent = typeof agents.$inferSelect;
