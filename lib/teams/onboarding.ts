import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db";
import { type AuditSource, invites, memberships, modelPrices, ROLES, teams, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/permissions";
import { hashSecret } from "@/lib/auth/secrets";
import { AppError, badRequest, conflict } from "@/lib/errors";
import { DEFAULT_MODEL_PRICES } from "@/lib/models/catalogue";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address."));
export const passwordSchema = z
  .string()
  .min(8, "Password must be at least 8 characters.")
  .max(200, "Password must be at most 200 characters.");

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100).refine(isStorableText, STORABLE_TEXT_MESSAGE),
  email: emailSchema,
  password: passwordSchema,
  teamName: z.string().trim().max(100).refine(isStorableText, STORABLE_TEXT_MESSAGE).optional(),
  invite: z.string().trim().optional(),
});
export type SignUpInput = z.infer<typeof signUpSchema>;

// Serialises sign-ups so two people racing on an empty instance can't both found a team.
const ONBOARDING_LOCK = 7_360_451_202;

export async function instanceHasTeam(): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ id: teams.id }).from(teams).limit(1);
  return Boolean(row);
}

/** A pending, unexpired invite for this link secret, with its team's name, or null. */
export async function findOpenInvite(secret: string) {
  const db = await getDb();
  const [row] = await db
    .select({ id: invites.id, role: invites.role, teamId: invites.teamId, teamName: teams.name })
    .from(invites)
    .innerJoin(teams, eq(teams.id, invites.teamId))
    .where(
      and(
        eq(invites.tokenHash, hashSecret(secret)),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

/**
 * The first person on an empty instance founds the team and becomes its admin;
 * everyone after needs an invite link, which sets their role.
 */
export async function signUp(raw: SignUpInput): Promise<Actor> {
  const input = signUpSchema.parse(raw);
  const passwordHash = await hashPassword(input.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ONBOARDING_LOCK})`);
    const [existing] = await tx.select().from(users).where(eq(users.email, input.email));
    if (existing && !input.invite) {
      throw conflict("An account with this email already exists. Sign in instead.", "email");
    }

    const [anyTeam] = await tx.select({ id: teams.id }).from(teams).limit(1);
    let teamId: string;
    let role: Actor["role"];
    let inviteId: string | null = null;
    if (!anyTeam) {
      const [team] = await tx
        .insert(teams)
        .values({ name: input.teamName || "My team" })
        .returning({ id: teams.id });
      if (!team) throw new Error("team insert returned nothing");
      teamId = team.id;
      role = "admin";
      await tx.insert(modelPrices).values(DEFAULT_MODEL_PRICES.map((price) => ({ ...price, teamId })));
    } else {
      if (!input.invite) {
        throw new AppError(
          "forbidden",
          "This Foreman already has a team. Ask an admin for an invite link to join it.",
        );
      }
      const [invite] = await tx
        .select()
        .from(invites)
        .where(eq(invites.tokenHash, hashSecret(input.invite)))
        .for("update");
      if (!invite || invite.acceptedAt || invite.revokedAt || invite.expiresAt <= new Date()) {
        throw badRequest("This invite link is no longer valid. Ask an admin for a new one.", "invite");
      }
      teamId = invite.teamId;
      role = invite.role;
      inviteId = invite.id;
    }
    if (existing) return rejoin(tx, existing, input.password, { teamId, role, inviteId: inviteId as string });

    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash })
      .returning();
    if (!user) throw new Error("user insert returned nothing");
    await tx.insert(memberships).values({ teamId, userId: user.id, role });
    if (inviteId) {
      await tx
        .update(invites)
        .set({ acceptedAt: new Date(), acceptedBy: user.id })
        .where(eq(invites.id, inviteId));
    }
    const actor: Actor = {
      userId: user.id,
      teamId,
      role,
      email: user.email,
      name: user.name,
      source: "browser",
    };
    await recordAudit(
      tx,
      actor,
      anyTeam ? "member.joined" : "team.created",
      {
        type: anyTeam ? "user" : "team",
        id: anyTeam ? user.id : teamId,
      },
      { role },
    );
    return actor;
  });
}

/**
 * Someone who was removed from the team and is invited back keeps their account: the invite adds them
 * again once they prove it is theirs with its password.
 */
async function rejoin(
  tx: Tx,
  user: typeof users.$inferSelect,
  password: string,
  invite: { teamId: string; role: Actor["role"]; inviteId: string },
): Promise<Actor> {
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, invite.teamId), eq(memberships.userId, user.id)));
  if (member) throw conflict("You're already a member of this team. Sign in instead.", "email");
  if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    throw badRequest(
      "An account with this email already exists: enter its password to rejoin the team.",
      "password",
    );
  }
  await tx.insert(memberships).values({ teamId: invite.teamId, userId: user.id, role: invite.role });
  await tx
    .update(invites)
    .set({ acceptedAt: new Date(), acceptedBy: user.id })
    .where(eq(invites.id, invite.inviteId));
  const actor: Actor = {
    userId: user.id,
    teamId: invite.teamId,
    role: invite.role,
    email: user.email,
    name: user.name,
    source: "browser",
  };
  await recordAudit(tx, actor, "member.rejoined", { type: "user", id: user.id }, { role: invite.role });
  return actor;
}

export const createMemberSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100).optional(),
  role: z.enum(ROLES, { error: "Choose a role: admin, developer or viewer." }),
  teamName: z.string().trim().max(100).refine(isStorableText, STORABLE_TEXT_MESSAGE).optional(),
});
export type CreateMemberInput = z.input<typeof createMemberSchema>;

/**
 * For operators (the CLI): adds a person directly, without an invite. On an empty instance the first
 * person founds the team and must be an admin; afterwards people join the one team with the given role.
 * The new person is the actor of the audit row, through the given door (e.g. "cli").
 */
export async function createMember(
  raw: CreateMemberInput,
  source: AuditSource = "cli",
): Promise<{ actor: Actor; foundedTeam: boolean }> {
  const input = createMemberSchema.parse(raw);
  const name = input.name || input.email.split("@")[0] || input.email;
  const passwordHash = await hashPassword(input.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ONBOARDING_LOCK})`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (existing) throw conflict(`An account with the email ${input.email} already exists.`, "email");

    const [anyTeam] = await tx.select({ id: teams.id }).from(teams).orderBy(asc(teams.createdAt)).limit(1);
    let teamId: string;
    if (anyTeam) {
      teamId = anyTeam.id;
    } else {
      if (input.role !== "admin") {
        throw badRequest(
          "This Foreman has no team yet: the first person founds it and must be an admin (--role admin).",
          "role",
        );
      }
      const [team] = await tx
        .insert(teams)
        .values({ name: input.teamName || "My team" })
        .returning({ id: teams.id });
      if (!team) throw new Error("team insert returned nothing");
      teamId = team.id;
      await tx.insert(modelPrices).values(DEFAULT_MODEL_PRICES.map((price) => ({ ...price, teamId })));
    }

    const [user] = await tx.insert(users).values({ email: input.email, name, passwordHash }).returning();
    if (!user) throw new Error("user insert returned nothing");
    await tx.insert(memberships).values({ teamId, userId: user.id, role: input.role });
    const actor: Actor = { userId: user.id, teamId, role: input.role, email: user.email, name, source };
    await recordAudit(
      tx,
      actor,
      anyTeam ? "member.added" : "team.created",
      { type: anyTeam ? "user" : "team", id: anyTeam ? user.id : teamId },
      { role: input.role },
    );
    return { actor, foundedTeam: !anyTeam };
  });
}
