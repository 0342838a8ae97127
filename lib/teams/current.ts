// The current team of someone who belongs to several: chosen with the team picker, stored on the user
// (so every session and process agrees), and honoured only while they are a member (lib/auth/actor.ts).
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { memberships, type Role, teams, users } from "@/db/schema";
import { loadActor } from "@/lib/auth/actor";
import type { Actor } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

export const switchTeamSchema = z.object({ teamId: z.string().trim().min(1, "Choose a team.") });

export interface TeamChoice {
  id: string;
  name: string;
  role: Role;
}

/** Every team the actor belongs to, by name. */
export async function myTeams(actor: Actor): Promise<TeamChoice[]> {
  const db = await getDb();
  return db
    .select({ id: teams.id, name: teams.name, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, actor.userId))
    .orderBy(asc(teams.name), asc(teams.id));
}

/**
 * Makes `teamId` the actor's current team, for all their sessions. Only a team they belong to: any other
 * id (another team's, a made-up one) is "not found", and nothing changes.
 */
export async function switchTeam(actor: Actor, teamId: string): Promise<Actor> {
  if (!isUuid(teamId)) throw notFound("Team");
  const db = await getDb();
  const [membership] = await db
    .select({ teamId: memberships.teamId })
    .from(memberships)
    .where(and(eq(memberships.userId, actor.userId), eq(memberships.teamId, teamId)));
  if (!membership) throw notFound("Team");
  await db.update(users).set({ currentTeamId: teamId }).where(eq(users.id, actor.userId));
  const switched = await loadActor(actor.userId, actor.source);
  if (!switched) throw notFound("Team");
  return switched;
}
