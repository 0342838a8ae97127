import "server-only";
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { memberships, type Team, teams } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";

export const renameTeamSchema = z.object({
  name: z.string().trim().min(1, "Enter a team name.").max(100, "At most 100 characters."),
});
export type RenameTeamInput = z.input<typeof renameTeamSchema>;

export type TeamSummary = Pick<Team, "id" | "name" | "createdAt"> & { memberCount: number };

export async function getTeam(actor: Actor): Promise<TeamSummary> {
  authorize(actor, "team:read");
  const db = await getDb();
  const [team] = await db
    .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
    .from(teams)
    .where(eq(teams.id, actor.teamId));
  if (!team) throw notFound("Team");
  const [members] = await db
    .select({ n: count() })
    .from(memberships)
    .where(eq(memberships.teamId, actor.teamId));
  return { ...team, memberCount: members?.n ?? 0 };
}

export async function renameTeam(actor: Actor, raw: RenameTeamInput): Promise<Team> {
  authorize(actor, "settings:manage");
  const input = parseInput(renameTeamSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(teams).where(eq(teams.id, actor.teamId)).for("update");
    if (!before) throw notFound("Team");
    if (before.name === input.name) return before;
    const [team] = await tx
      .update(teams)
      .set({ name: input.name })
      .where(eq(teams.id, actor.teamId))
      .returning();
    if (!team) throw notFound("Team");
    await recordAudit(
      tx,
      actor,
      "team.renamed",
      { type: "team", id: team.id },
      { from: before.name, to: team.name },
    );
    return team;
  });
}
