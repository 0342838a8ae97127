import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { repositories } from "./repos";
import { runs } from "./runs";
import { tasks } from "./tasks";
import { teams, users } from "./teams";

/**
 * waiting: in line behind others on its repository and base; landing: being verified and merged (at most
 * one per repository and base, a unique index says so); the rest are ended: merged, refused (the merged
 * tree failed tests that passed on the branch), conflict, failed (git or the repository refused it).
 */
export const MERGE_QUEUE_STATUSES = [
  "waiting",
  "landing",
  "merged",
  "refused",
  "conflict",
  "failed",
] as const;
export type MergeQueueStatus = (typeof MERGE_QUEUE_STATUSES)[number];
export const OPEN_MERGE_QUEUE_STATUSES: readonly MergeQueueStatus[] = ["waiting", "landing"];

/**
 * The merge queue (lib/merge-queue): one row per merge request of an approved task. Approved merges on
 * the same repository and base branch land one at a time, oldest first; different bases proceed apart.
 */
export const mergeQueue = pgTable(
  "merge_queue",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    repoId: uuid()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    baseBranch: text().notNull(),
    /** The approved line's latest run when it was queued: its branch is merged, its verification compared. */
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    branch: text().notNull(),
    /** Whose merge it is: a queued entry lands later in their name. */
    requestedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Asked to verify the merged tree whatever the branch's own verification said (strict). */
    verify: boolean().notNull().default(false),
    /** On a refusal, queue a follow-up run that asks the agent to fix the merged tree. */
    fixOnRefusal: boolean().notNull().default(false),
    status: text({ enum: MERGE_QUEUE_STATUSES }).notNull().default("waiting"),
    enqueuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    /** The merged tree's test command exit (null: timed out or not verified). */
    exitCode: integer(),
    /** The verification output on a refusal, or why git refused; conflicted files on a conflict. */
    output: text(),
    mergeSha: text(),
  },
  (t) => [
    index().on(t.repoId, t.baseBranch, t.status, t.enqueuedAt),
    index().on(t.teamId, t.enqueuedAt),
    index().on(t.taskId),
    // The database itself guarantees one landing merge per repository and base.
    uniqueIndex("merge_queue_one_landing").on(t.repoId, t.baseBranch).where(sql`status = 'landing'`),
    uniqueIndex("merge_queue_one_open_per_task").on(t.taskId).where(sql`status in ('waiting', 'landing')`),
  ],
);

export type MergeQueueEntry = typeof mergeQueue.$inferSelect;
