import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./teams";

export const AUDIT_SOURCES = ["browser", "api", "cli", "system"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    source: text({ enum: AUDIT_SOURCES }).notNull(),
    /** Dotted verb, e.g. member.role_changed, repo.created. */
    action: text().notNull(),
    objectType: text().notNull(),
    objectId: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.teamId, t.createdAt)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
