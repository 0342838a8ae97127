// Reading the audit log: admins only, newest first, filtered by person, action and date, a page at a time.
import { and, count, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { auditEvents, memberships, users } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { isUuid } from "@/lib/ids";
import { auditIds, resolveAuditRefs } from "./references";

export const AUDIT_PAGE_SIZE = 50;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/** URL search params as filters; anything malformed is simply ignored (a stale link still opens). */
export const auditFilterSchema = z.object({
  person: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) => (v && isUuid(v) ? v : undefined)),
  action: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export async function listAudit(actor: Actor, raw: Record<string, unknown>) {
  authorize(actor, "settings:manage");
  const filter = auditFilterSchema.parse(raw);
  const db = await getDb();
  const conditions: SQL[] = [eq(auditEvents.teamId, actor.teamId)];
  if (filter.person) conditions.push(eq(auditEvents.actorId, filter.person));
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.from) conditions.push(gte(auditEvents.createdAt, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) {
    // "to" is inclusive: everything before the next day starts.
    const end = new Date(`${filter.to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    conditions.push(lt(auditEvents.createdAt, end));
  }
  const where = and(...conditions);
  const [rows, [total], actions, people] = await Promise.all([
    db
      .select({
        id: auditEvents.id,
        createdAt: auditEvents.createdAt,
        source: auditEvents.source,
        action: auditEvents.action,
        objectType: auditEvents.objectType,
        objectId: auditEvents.objectId,
        details: auditEvents.details,
        actorId: auditEvents.actorId,
        actorName: users.name,
        actorEmail: users.email,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    db.select({ n: count() }).from(auditEvents).where(where),
    db
      .selectDistinct({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.teamId, actor.teamId))
      .orderBy(auditEvents.action),
    // Everyone on the team, and anyone who left but still appears in the log.
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(
        or(
          inArray(
            users.id,
            db
              .select({ id: memberships.userId })
              .from(memberships)
              .where(eq(memberships.teamId, actor.teamId)),
          ),
          inArray(
            users.id,
            db
              .selectDistinct({ id: auditEvents.actorId })
              .from(auditEvents)
              .where(eq(auditEvents.teamId, actor.teamId)),
          ),
        ),
      )
      .orderBy(users.name),
  ]);
  const n = total?.n ?? 0;
  return {
    rows,
    /** Names and links for the ids in this page's objects and details. */
    refs: await resolveAuditRefs(db, actor.teamId, auditIds(rows)),
    total: n,
    page: filter.page,
    pages: Math.max(1, Math.ceil(n / AUDIT_PAGE_SIZE)),
    filter,
    actions: actions.map((a) => a.action),
    people,
  };
}

export type AuditPage = Awaited<ReturnType<typeof listAudit>>;
