// Builders for integration tests: real rows in the test's own database, created through the services.
import { randomBytes } from "node:crypto";
import { getDb } from "@/db";
import { memberships, type Role, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/permissions";
import { signUp } from "@/lib/teams/onboarding";

let founder: Actor | undefined;

/** The team's first admin (founds the team on first call in a test file). */
export async function teamAdmin(): Promise<Actor> {
  founder ??= await signUp({
    name: "Ada Admin",
    email: "ada@example.com",
    password: "correct horse battery",
    teamName: "Test team",
  });
  return founder;
}

/** Another member of the admin's team with the given role. */
export async function teamMember(role: Role): Promise<Actor> {
  const admin = await teamAdmin();
  const db = await getDb();
  const email = `${role}-${randomBytes(4).toString("hex")}@example.com`;
  const [user] = await db
    .insert(users)
    .values({ email, name: `${role} person`, passwordHash: await hashPassword("correct horse battery") })
    .returning();
  if (!user) throw new Error("no user");
  await db.insert(memberships).values({ teamId: admin.teamId, userId: user.id, role });
  return { userId: user.id, teamId: admin.teamId, role, email, name: user.name, source: "browser" };
}

/** A member of a different team, for isolation tests (bypasses onboarding: one instance, two teams). */
export async function otherTeamMember(role: Role = "admin"): Promise<Actor> {
  const { teams, modelPrices } = await import("@/db/schema");
  const { DEFAULT_MODEL_PRICES } = await import("@/lib/models/catalogue");
  const db = await getDb();
  const [team] = await db.insert(teams).values({ name: "Other team" }).returning();
  if (!team) throw new Error("no team");
  await db.insert(modelPrices).values(DEFAULT_MODEL_PRICES.map((p) => ({ ...p, teamId: team.id })));
  const email = `other-${randomBytes(4).toString("hex")}@example.com`;
  const [user] = await db
    .insert(users)
    .values({ email, name: "Other person", passwordHash: null })
    .returning();
  if (!user) throw new Error("no user");
  await db.insert(memberships).values({ teamId: team.id, userId: user.id, role });
  return { userId: user.id, teamId: team.id, role, email, name: user.name, source: "browser" };
}
