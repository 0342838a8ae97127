import "server-only";
import { and, asc, desc, eq, gt, isNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import {
  type AuditSource,
  apiTokens,
  type Invite,
  invites,
  memberships,
  type Role,
  users,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { loadActor } from "@/lib/auth/actor";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { endSessions } from "@/lib/auth/sessions";
import { AppError, badRequest, conflict, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";
import { emailSchema } from "@/lib/teams/onboarding";
import {
  type CreateInviteInput,
  changeRoleSchema,
  createInviteSchema,
  removeMemberSchema,
  revokeInviteSchema,
} from "./schema";

const DAY_MS = 86_400_000;
const RANK: Record<Role, number> = { admin: 0, developer: 1, viewer: 2 };

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export type PendingInvite = Pick<Invite, "id" | "role" | "expiresAt" | "createdAt"> & {
  createdByName: string | null;
};

/** Everyone in the actor's team, admins first, then by name. */
export async function listMembers(actor: Actor): Promise<MemberRow[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, actor.teamId))
    .orderBy(asc(users.name), asc(users.email));
  return rows.sort((a, b) => RANK[a.role] - RANK[b.role]);
}

/**
 * Creates an invite link. The secret is returned once, as the link path; only its hash is stored,
 * so nobody (not even an admin looking at the database) can recover a lost link: revoke and re-invite.
 */
export async function createInvite(
  actor: Actor,
  raw: CreateInviteInput,
): Promise<{ invite: Invite; path: string }> {
  authorize(actor, "members:manage");
  const input = parseInput(createInviteSchema, raw);
  const secret = newSecret("inv_");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .insert(invites)
      .values({
        teamId: actor.teamId,
        tokenHash: hashSecret(secret),
        role: input.role,
        createdBy: actor.userId,
        expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
      })
      .returning();
    if (!invite) throw new Error("invite insert returned nothing");
    await recordAudit(
      tx,
      actor,
      "invite.created",
      { type: "invite", id: invite.id },
      { role: invite.role, expiresAt: invite.expiresAt.toISOString() },
    );
    return { invite, path: `/invite/${secret}` };
  });
}

/** Invites nobody has used, revoked or let expire, newest first. */
export async function listInvites(actor: Actor): Promise<PendingInvite[]> {
  authorize(actor, "members:manage");
  const db = await getDb();
  return db
    .select({
      id: invites.id,
      role: invites.role,
      expiresAt: invites.expiresAt,
      createdAt: invites.createdAt,
      createdByName: users.name,
    })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.createdBy))
    .where(
      and(
        eq(invites.teamId, actor.teamId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invites.createdAt));
}

export async function revokeInvite(actor: Actor, id: string): Promise<void> {
  authorize(actor, "members:manage");
  const input = parseInput(revokeInviteSchema, { id });
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [invite] = await tx
      .select()
      .from(invites)
      .where(and(eq(invites.teamId, actor.teamId), eq(invites.id, input.id)))
      .for("update");
    if (!invite) throw notFound("Invite");
    if (invite.acceptedAt) throw conflict("This invite was already used; remove the member instead.");
    if (invite.revokedAt) throw conflict("This invite was already revoked.");
    await tx.update(invites).set({ revokedAt: new Date() }).where(eq(invites.id, invite.id));
    await recordAudit(tx, actor, "invite.revoked", { type: "invite", id: invite.id }, { role: invite.role });
  });
}

/** Locks the team's admin rows, so two admins demoting each other can't leave the team without one. */
async function lockAdmins(tx: Tx, teamId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.role, "admin")))
    .for("update");
  return rows.map((row) => row.userId);
}

async function lockMember(tx: Tx, actor: Actor, userId: string) {
  const [member] = await tx
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, actor.teamId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!member) throw notFound("Member");
  return member;
}

export async function changeRole(actor: Actor, userId: string, role: Role): Promise<MemberRow> {
  authorize(actor, "members:manage");
  const input = parseInput(changeRoleSchema, { userId, role });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const admins = await lockAdmins(tx, actor.teamId);
    const member = await lockMember(tx, actor, input.userId);
    if (member.role === input.role) return member;
    if (member.role === "admin" && admins.length <= 1) {
      throw conflict(
        `${member.name} is the team's only admin. Make someone else an admin first, ` +
          `then change ${member.name}'s role.`,
        "role",
      );
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.teamId, actor.teamId), eq(memberships.userId, input.userId)));
    // A lowered role ends the person's browser sessions, so nothing open in a tab keeps the old grants.
    if (RANK[input.role] > RANK[member.role]) await endSessions(member.userId, tx);
    await recordAudit(
      tx,
      actor,
      "member.role_changed",
      { type: "user", id: member.userId },
      { email: member.email, from: member.role, to: input.role },
    );
    return { ...member, role: input.role };
  });
}

/**
 * Takes a person out of the team: their browser sessions end (session version bumped) and their API
 * tokens for this team are revoked, at once, in every process. The user row stays so tasks and reviews keep their author.
 */
export async function removeMember(actor: Actor, userId: string): Promise<void> {
  authorize(actor, "members:manage");
  const input = parseInput(removeMemberSchema, { userId });
  if (input.userId === actor.userId) {
    throw badRequest("You can't remove yourself from the team. Ask another admin to do it.");
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    const admins = await lockAdmins(tx, actor.teamId);
    const member = await lockMember(tx, actor, input.userId);
    if (member.role === "admin" && admins.length <= 1) {
      throw conflict(`${member.name} is the team's only admin and can't be removed.`);
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.teamId, actor.teamId), eq(memberships.userId, member.userId)));
    await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiTokens.teamId, actor.teamId),
          eq(apiTokens.userId, member.userId),
          isNull(apiTokens.revokedAt),
        ),
      );
    await endSessions(member.userId, tx);
    await recordAudit(
      tx,
      actor,
      "member.removed",
      { type: "user", id: member.userId },
      { email: member.email, name: member.name, role: member.role },
    );
  });
}

/**
 * For operator tools (the CLI), which act on the machine's authority rather than a signed-in person's:
 * the member with this email as an actor, or a not-found error naming the email.
 */
export async function actorForEmail(email: string, source: AuditSource): Promise<Actor> {
  const normalized = parseInput(emailSchema, email, "email");
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, normalized));
  const actor = user ? await loadActor(user.id, source) : null;
  if (!actor) throw new AppError("not_found", `No member with the email ${normalized}.`, "email");
  return actor;
}
