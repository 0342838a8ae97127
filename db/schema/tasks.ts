import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents";
import { repositories } from "./repos";
import { teams, users } from "./teams";

export const TASK_STATUSES = [
  "queued",
  "running",
  "needs_human",
  "in_review",
  "changes_requested",
  "approved",
  "conflict",
  "merged",
  "failed",
  "cancelled",
  "discarded",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task not ended: its branch may still be worked on and merged. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter(
  (status) => !["merged", "failed", "cancelled", "discarded"].includes(status),
);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** Human-friendly number, unique per team (#12); used in branch names. */
    number: integer().notNull(),
    title: text().notNull(),
    prompt: text().notNull(),
    repoId: uuid()
      .notNull()
      .references(() => repositories.id, { onDelete: "restrict" }),
    agentId: uuid()
      .notNull()
      .references(() => agents.id, { onDelete: "restrict" }),
    baseBranch: text().notNull(),
    status: text({ enum: TASK_STATUSES }).notNull().default("queued"),
    assignedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    reviewerId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    approvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    approvedAt: timestamp({ withTimezone: true }),
    mergedAt: timestamp({ withTimezone: true }),
    /**
     * When the task ended, for metrics: merged or discarded, closedAt; failed or cancelled, the finish of the
     * run that ended it. Kept by triggers (migration 0003) so later edits never move it; null while open.
     */
    endedAt: timestamp({ withTimezone: true }),
    /** The commit on the base branch that holds the change (merge or squash commit). */
    mergeSha: text(),
    /** The run branch that was merged, and its head then (the branch itself is deleted after merging). */
    mergedBranch: text(),
    mergedHeadSha: text(),
    /** Files that conflicted on the last merge attempt (status conflict). */
    conflictFiles: jsonb().$type<string[]>(),
    /**
     * For the parallel-work metrics: when a conflict was first predicted for the task's branch (with another
     * open task or with its moved base, lib/conflicts), and when a merge of it first really conflicted.
     */
    conflictPredictedAt: timestamp({ withTimezone: true }),
    mergeConflictedAt: timestamp({ withTimezone: true }),
    /**
     * A discarded task's branches are archived in Foreman's clone for the team's retention period
     * (lib/tasks/archive.ts); when the sweep deletes them, this says when, so the review page can tell why.
     */
    diffExpiredAt: timestamp({ withTimezone: true }),
    /**
     * Best-of-N: the attempt (any run of its line) a reviewer promoted; the other attempts' branches were
     * closed then. No foreign key: runs reference tasks, and a task's runs go with it.
     */
    promotedRunId: uuid(),
    promotedBranch: text(),
    promotedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    promotedAt: timestamp({ withTimezone: true }),
    /**
     * Whether the promoted attempt was the one a judge had ranked first (its latest ranking before the
     * promotion); null when no judge had ranked the attempts.
     */
    promotedJudgePick: boolean(),
  },
  (t) => [
    unique().on(t.teamId, t.number),
    index().on(t.teamId, t.status),
    index().on(t.teamId, t.createdAt),
    index().on(t.teamId, t.endedAt),
  ],
);

export type Task = typeof tasks.$inferSelect;
