import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { runs } from "./runs";
import { tasks } from "./tasks";
import { teams, users } from "./teams";

export const reviewComments = pgTable(
  "review_comments",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    runId: uuid().references(() => runs.id, { onDelete: "set null" }),
    authorId: uuid().references(() => users.id, { onDelete: "set null" }),
    path: text().notNull(),
    /** Which file the lines are in: "new" (the branch's version) or "old" (removed lines, the base's). */
    side: text({ enum: ["old", "new"] })
      .notNull()
      .default("new"),
    lineStart: integer().notNull(),
    lineEnd: integer().notNull(),
    body: text().notNull(),
    status: text({ enum: ["draft", "submitted"] })
      .notNull()
      .default("draft"),
    /**
     * What the comment was written against, so a later revision can tell whether the agent changed the
     * line: the branch head then, the commented lines' text, and the numbered lines around them (shown
     * when the line is gone). Null for comments written before these were kept.
     */
    commitSha: text(),
    lineText: text(),
    context: text(),
    /** The follow-up run the comment was sent to: its summary is the agent's answer, threaded under it. */
    answeredByRunId: uuid().references(() => runs.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when its author edited the draft. */
    editedAt: timestamp({ withTimezone: true }),
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.taskId)],
);

export type ReviewComment = typeof reviewComments.$inferSelect;

export const REVIEW_DECISIONS = ["approved", "changes_requested"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** One submitted review of a task: a round of the review process (metrics count rounds and turnaround). */
export const reviews = pgTable(
  "reviews",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    /** The run whose diff was reviewed. */
    runId: uuid().references(() => runs.id, { onDelete: "set null" }),
    reviewerId: uuid().references(() => users.id, { onDelete: "set null" }),
    decision: text({ enum: REVIEW_DECISIONS }).notNull(),
    commentCount: integer().notNull().default(0),
    body: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.taskId), index().on(t.teamId, t.createdAt)],
);

export type Review = typeof reviews.$inferSelect;
