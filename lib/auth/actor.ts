import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type AuditSource, memberships, users } from "@/db/schema";
import type { Actor } from "./permissions";

/** Loads a user's current team and role from the database; null when they belong to no team. */
export async function loadActor(userId: string, source: AuditSource): Promise<Actor | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      teamId: memberships.teamId,
      role: memberships.role,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  return row ? { ...row, source } : null;
}
