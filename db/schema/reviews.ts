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
    lineStart: integer().notNull(),
    lineEnd: integer().notNull(),
    body: text().notNull(),
    status: text({ enum: ["draft", "submitted"] })
      .notNull()
      .default("draft"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.taskId)],
);

export type ReviewComment = typeof reviewComments.$inferSelect;
