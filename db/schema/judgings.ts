import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { runs } from "./runs";
import { tasks } from "./tasks";

/** One attempt as the judge was shown it: its number on the Compare view, its branch and head then. */
export interface JudgedAttempt {
  index: number;
  branch: string;
  headSha: string;
  /** The attempt's latest run when the judge was asked (the id the Compare view names it by). */
  runId: string;
}

/** One place of the judge's ranking, best first. */
export interface RankedAttempt {
  index: number;
  branch: string;
  reasons: string;
}

/**
 * Best-of-N's judge (lib/compare/judge.ts): an agent asked to rank a task's attempts. Its run is a
 * `runs` row of kind 'judge' (queued, executed and streamed like any run, in a read-only sandbox); this row
 * holds what it was shown and, once it answers through its rank_attempts tool, its ranking.
 */
export const judgings = pgTable(
  "judgings",
  {
    runId: uuid()
      .primaryKey()
      .references(() => runs.id, { onDelete: "cascade" }),
    teamId: uuid().notNull(),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    attempts: jsonb().$type<JudgedAttempt[]>().notNull(),
    /** Null until the judge answers. */
    ranking: jsonb().$type<RankedAttempt[]>(),
    summary: text(),
    /** The branch of the attempt the judge ranked first, for the metric "judge's first pick promoted". */
    firstPickBranch: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    rankedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.taskId)],
);

export type Judging = typeof judgings.$inferSelect;
