import { ne } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { agents } from "./agents";
import type { NetworkPolicy } from "./repos";
import { JUDGE_RUN_KIND, RUN_OUTCOMES, RUN_STATUSES } from "./run-statuses";
import { tasks } from "./tasks";
import { teams, users } from "./teams";

export * from "./run-statuses";

/** How a run's commands were confined: the OS sandbox with a network policy, or (admin's choice) nothing. */
export interface RunSandbox {
  mode: "bwrap" | "off";
  network: NetworkPolicy;
  allowedHosts: string[];
  /** The repository was mounted read-only (a judge's run). */
  readOnly?: boolean;
}

const tokens = () => bigint({ mode: "number" }).notNull().default(0);

export const runs = pgTable(
  "runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    agentId: uuid()
      .notNull()
      .references(() => agents.id, { onDelete: "restrict" }),
    model: text().notNull(),
    status: text({ enum: RUN_STATUSES }).notNull().default("queued"),
    branch: text().notNull(),
    startedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Why the run ended: end_turn, refusal, budget, cancelled, error … */
    stopReason: text(),
    error: text(),
    /** What the run brought (see RUN_OUTCOMES), set when it ends. */
    outcome: text({ enum: RUN_OUTCOMES }),
    /** Why a person is needed: the agent's question (needs_input), its reason (blocked), or what it said. */
    outcomeReason: text(),
    steps: integer().notNull().default(0),
    inputTokens: tokens(),
    outputTokens: tokens(),
    cacheWriteTokens: tokens(),
    cacheReadTokens: tokens(),
    costUsd: numeric({ precision: 14, scale: 6, mode: "number" }).notNull().default(0),
    /** True when any model call of the run had no catalogue price. */
    unpriced: boolean().notNull().default(false),
    /** Effective budgets of this run: the agent's, or the task's overrides. */
    maxSteps: integer().notNull().default(50),
    maxCostUsd: numeric({ precision: 12, scale: 4, mode: "number" }).notNull().default(5),
    maxDurationSec: integer().notNull().default(1800),
    /** initial, follow_up (review feedback), resolve_conflict, rerun, judge (ranks a task's attempts) */
    kind: text().notNull().default("initial"),
    /** The run's first message to the model; null means the task's prompt (follow-ups carry review comments). */
    prompt: text(),
    /** The run this one continues (a follow-up after review, a conflict resolution, a re-run). */
    parentRunId: uuid(),
    /** Highest event seq handed out; bumped in the same transaction that inserts events. */
    lastSeq: integer().notNull().default(0),
    /** The worker holding the run, and until when; an expired lease means the worker died. */
    leaseOwner: text(),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    cancelRequestedAt: timestamp({ withTimezone: true }),
    modelMs: bigint({ mode: "number" }).notNull().default(0),
    toolMs: bigint({ mode: "number" }).notNull().default(0),
    humanWaitMs: bigint({ mode: "number" }).notNull().default(0),
    /** How the run's commands were confined, fixed when it starts: null before that. */
    sandbox: jsonb().$type<RunSandbox>(),
    verifyExitCode: integer(),
    verifyOutput: text(),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.teamId, t.status),
    index().on(t.taskId),
    index().on(t.teamId, t.queuedAt),
    index("runs_claimable_idx").on(t.status, t.queuedAt),
    index().on(t.teamId, t.finishedAt),
  ],
);

/** Append-only log of everything a run did; the model conversation is rebuilt from it. */
export const runEvents = pgTable(
  "run_events",
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    teamId: uuid().notNull(),
    type: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export type Run = typeof runs.$inferSelect;

/** Runs that are agents' work on a task: every kind but a judge's (see JUDGE_RUN_KIND). */
export const isAgentWorkRun = ne(runs.kind, JUDGE_RUN_KIND);
export type RunEvent = typeof runEvents.$inferSelect;
