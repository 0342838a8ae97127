import { and, asc, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type AuditSource, memberships, users } from "@/db/schema";
import type { Actor } from "./permissions";

async function loadMembership(userId: string, teamId?: string) {
  const db = await getDb();
  // Someone in several teams acts in the one they chose (the team picker) while they belong to it, else in
  // the one they joined last (ties broken by team id), every time.
  const [row] = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      teamId: memberships.teamId,
      role: memberships.role,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(teamId ? and(eq(users.id, userId), eq(memberships.teamId, teamId)) : eq(users.id, userId))
    .orderBy(
      sql`(${memberships.teamId} = ${users.currentTeamId}) desc nulls last`,
      desc(memberships.createdAt),
      asc(memberships.teamId),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Loads a user's current team (or the given team) and role from the database; null when they belong to
 * no team (or not to that one).
 */
export async function loadActor(userId: string, source: AuditSource, teamId?: string): Promise<Actor | null> {
  const row = await loadMembership(userId, teamId);
  if (!row) return null;
  const { sessionVersion: _, ...actor } = row;
  return { ...actor, source };
}

/** What a browser session carries: the user and the session version copied at sign-in. */
export interface SessionClaims {
  userId: string;
  sessionVersion: number | undefined;
}

/**
 * The actor behind a browser session, or null when the session has ended: signed out, removed, role
 * lowered (the user's session version moved on since sign-in), or a token from before versions existed.
 */
export async function actorForSession(claims: SessionClaims, source: AuditSource): Promise<Actor | null> {
  if (typeof claims.sessionVersion !== "number") return null;
  const row = await loadMembership(claims.userId);
  if (!row || row.sessionVersion !== claims.sessionVersion) return null;
  const { sessionVersion: _, ...actor } = row;
  return { ...actor, source };
}
