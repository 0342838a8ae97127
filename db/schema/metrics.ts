// The metrics page's daily rollup (lib/metrics/rollup): one row per team, UTC day and group key combination
// (agent, model, repository, person who assigned), in three tables: the runs queued that day, the reviews
// submitted that day, and the tasks that ended that day. Triggers (migration 0003) mark a day dirty in the
// same transaction as any change to a row it depends on; reads take clean days from here and recompute the
// dirty ones from the raw rows, so a number never depends on when the rollup was last compacted.
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { teams } from "./teams";

const count = () => integer().notNull().default(0);
const usd = () => numeric({ precision: 18, scale: 6, mode: "number" }).notNull().default(0);
const msSum = () => numeric({ mode: "number" }).notNull().default(0);
/** Raw values kept for exact percentiles (percentile_cont over the period's values). */
const values = () => doublePrecision().array().notNull().default([]);

const keys = {
  teamId: uuid()
    .notNull()
    .references(() => teams.id, { onDelete: "cascade" }),
  day: date({ mode: "string" }).notNull(),
  agentId: uuid(),
  model: text(),
  repoId: uuid(),
  personId: uuid(),
};

/** Runs queued on `day`: counts, spend, tokens, time sums and the wall times of the runs that ran. */
export const metricsRunDays = pgTable(
  "metrics_run_days",
  {
    ...keys,
    runs: count(),
    /** Runs with changes ready (see RUN_OUTCOMES); the other outcomes are counted beside it. */
    succeeded: count(),
    verificationFailed: count(),
    noChanges: count(),
    blocked: count(),
    failed: count(),
    cancelled: count(),
    unpricedRuns: count(),
    spend: usd(),
    inputTokens: bigint({ mode: "number" }).notNull().default(0),
    outputTokens: bigint({ mode: "number" }).notNull().default(0),
    cacheWriteTokens: bigint({ mode: "number" }).notNull().default(0),
    cacheReadTokens: bigint({ mode: "number" }).notNull().default(0),
    /** Runs that started and finished: the denominator of the time averages. */
    ran: count(),
    queueMs: msSum(),
    modelMs: msSum(),
    toolMs: msSum(),
    humanMs: msSum(),
    verified: count(),
    verifyPassed: count(),
    wallMs: values(),
  },
  (t) => [index().on(t.teamId, t.day)],
);

/** Reviews submitted on `day`, under their task's keys. */
export const metricsReviewDays = pgTable(
  "metrics_review_days",
  {
    ...keys,
    reviews: count(),
    approvals: count(),
    changesRequested: count(),
    turnaroundMs: values(),
    firstReviewMs: values(),
  },
  (t) => [index().on(t.teamId, t.day)],
);

/** Tasks that ended on `day` (tasks.ended_at), with the facts the outcome metrics add up. */
export const metricsTaskDays = pgTable(
  "metrics_task_days",
  {
    ...keys,
    ended: count(),
    merged: count(),
    discarded: count(),
    failed: count(),
    cancelled: count(),
    mergedFirstTry: count(),
    mergedCost: usd(),
    mergedUnpriced: count(),
    mergedHumanMs: msSum(),
    reviewed: count(),
    reviewRounds: count(),
    timeInReviewMs: values(),
  },
  (t) => [index().on(t.teamId, t.day)],
);

/**
 * Days whose rollup rows may be stale. No foreign key: the triggers that mark days also fire while a team's
 * rows are being deleted, and a stale mark only costs a recomputation.
 */
export const metricsDirtyDays = pgTable(
  "metrics_dirty_days",
  {
    teamId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.day] })],
);
