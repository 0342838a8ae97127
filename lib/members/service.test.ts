import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiTokens, auditEvents, invites, memberships } from "@/db/schema";
import { hashSecret } from "@/lib/auth/secrets";
import { AppError } from "@/lib/errors";
import { findOpenInvite, signUp } from "@/lib/teams/onboarding";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { authenticateApiToken, createApiToken } from "@/lib/tokens/service";
import { changeRole, createInvite, listInvites, listMembers, removeMember, revokeInvite } from "./service";

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** The audit rows of this module's kinds, for one object, in order. */
async function audit(objectId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.objectId, objectId));
  return rows
    .filter((r) => /^(invite|member)\./.test(r.action))
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ action: r.action, details: r.details, source: r.source }));
}

async function roleOf(teamId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

describe("members and invites", () => {
  it("lists the team's members, admins first, and only this team's", async () => {
    const admin = await teamAdmin();
    const viewer = await teamMember("viewer");
    const developer = await teamMember("developer");
    await otherTeamMember();
    const members = await listMembers(viewer);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      [admin.email, "admin"],
      [developer.email, "developer"],
      [viewer.email, "viewer"],
    ]);
    expect(members[0]?.joinedAt).toBeInstanceOf(Date);
    expect(members[0]?.name).toBe("Ada Admin");
  });

  it("creates an invite link whose secret is stored only as a hash, and lets someone join with it", async () => {
    const admin = await teamAdmin();
    const { invite, path } = await createInvite(admin, { role: "developer" });
    expect(path).toMatch(/^\/invite\/inv_[\w-]{20,}$/);
    const secret = path.slice("/invite/".length);
    const db = await getDb();
    const [row] = await db.select().from(invites).where(eq(invites.id, invite.id));
    expect(row?.tokenHash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row?.role).toBe("developer");
    const days = ((row?.expiresAt.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect((await listInvites(admin)).map((i) => i.id)).toContain(invite.id);
    expect(await audit(invite.id)).toEqual([
      {
        action: "invite.created",
        details: expect.objectContaining({ role: "developer" }),
        source: "browser",
      },
    ]);

    const joined = await signUp({
      name: "Jo",
      email: "jo@example.com",
      password: "long enough",
      invite: secret,
    });
    expect(joined).toMatchObject({ teamId: admin.teamId, role: "developer" });
    expect((await listInvites(admin)).map((i) => i.id)).not.toContain(invite.id);
  });

  it("honours a custom expiry and rejects a bad role or expiry", async () => {
    const admin = await teamAdmin();
    const { invite } = await createInvite(admin, { role: "viewer", expiresInDays: "2" as unknown as number });
    const days = (invite.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThanOrEqual(2);
    expect((await rejection(createInvite(admin, { role: "owner" as never }))).code).toBe("bad_request");
    expect((await rejection(createInvite(admin, { role: "viewer", expiresInDays: 0 }))).field).toBe(
      "expiresInDays",
    );
  });

  it("revokes an invite so the link stops working, once", async () => {
    const admin = await teamAdmin();
    const { invite, path } = await createInvite(admin, { role: "viewer" });
    await revokeInvite(admin, invite.id);
    expect(await findOpenInvite(path.slice("/invite/".length))).toBeNull();
    expect((await listInvites(admin)).map((i) => i.id)).not.toContain(invite.id);
    expect((await rejection(revokeInvite(admin, invite.id))).code).toBe("conflict");
    expect((await audit(invite.id)).map((a) => a.action)).toEqual(["invite.created", "invite.revoked"]);
    // Another team's admin can't see or revoke it.
    const { invite: second } = await createInvite(admin, { role: "viewer" });
    const stranger = await otherTeamMember("admin");
    expect((await rejection(revokeInvite(stranger, second.id))).code).toBe("not_found");
    expect(await listInvites(stranger)).toEqual([]);
  });

  it("refuses everything but listing to developers and viewers, and writes nothing", async () => {
    const admin = await teamAdmin();
    const target = await teamMember("viewer");
    const { invite } = await createInvite(admin, { role: "viewer" });
    for (const role of ["developer", "viewer"] as const) {
      const actor = await teamMember(role);
      const attempts = [
        createInvite(actor, { role: "admin" }),
        listInvites(actor),
        revokeInvite(actor, invite.id),
        changeRole(actor, actor.userId, "admin"),
        removeMember(actor, target.userId),
      ];
      for (const attempt of attempts) expect((await rejection(attempt)).code).toBe("forbidden");
      expect(await roleOf(admin.teamId, actor.userId)).toBe(role);
    }
    expect(await roleOf(admin.teamId, target.userId)).toBe("viewer");
    expect((await audit(invite.id)).map((a) => a.action)).toEqual(["invite.created"]);
  });

  it("changes a role with one audit row recording from and to", async () => {
    const admin = await teamAdmin();
    const member = await teamMember("viewer");
    const row = await changeRole(admin, member.userId, "developer");
    expect(row).toMatchObject({ userId: member.userId, role: "developer" });
    expect(await roleOf(admin.teamId, member.userId)).toBe("developer");
    // Setting the same role again changes nothing and records nothing.
    await changeRole(admin, member.userId, "developer");
    expect(await audit(member.userId)).toEqual([
      {
        action: "member.role_changed",
        details: expect.objectContaining({ from: "viewer", to: "developer" }),
        source: "browser",
      },
    ]);
    expect((await rejection(changeRole(admin, member.userId, "owner" as never))).field).toBe("role");
    const stranger = await otherTeamMember("viewer");
    expect((await rejection(changeRole(admin, stranger.userId, "admin"))).code).toBe("not_found");
    expect(await roleOf(stranger.teamId, stranger.userId)).toBe("viewer");
  });

  it("always keeps one admin: the last admin can't be demoted; a second admin makes it possible", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    const admins = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.teamId, admin.teamId), eq(memberships.role, "admin")));
    expect(admins.map((a) => a.userId)).toEqual([admin.userId]);
    const error = await rejection(changeRole(admin, admin.userId, "developer"));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/only admin/);
    expect(await roleOf(admin.teamId, admin.userId)).toBe("admin");
    expect(await audit(admin.userId)).toEqual([]);

    const deputy = await teamMember("developer");
    await changeRole(admin, deputy.userId, "admin");
    await changeRole({ ...deputy, role: "admin" }, admin.userId, "developer");
    expect(await roleOf(admin.teamId, admin.userId)).toBe("developer");
    // Now the deputy is the only admin, and can't step down either.
    const deputyAdmin = { ...deputy, role: "admin" as const };
    expect((await rejection(changeRole(deputyAdmin, deputy.userId, "viewer"))).message).toMatch(/only admin/);
    await changeRole(deputyAdmin, admin.userId, "admin");
    await changeRole(admin, deputy.userId, "developer");
  });

  it("removes a member: membership gone, their tokens stop working, one audit row", async () => {
    const admin = await teamAdmin();
    const member = await teamMember("developer");
    const { token } = await createApiToken(member, { name: "laptop" });
    expect(await authenticateApiToken(`Bearer ${token}`)).not.toBeNull();
    await removeMember(admin, member.userId);
    expect(await roleOf(admin.teamId, member.userId)).toBeNull();
    expect(await authenticateApiToken(`Bearer ${token}`)).toBeNull();
    const db = await getDb();
    const [tokenRow] = await db.select().from(apiTokens).where(eq(apiTokens.userId, member.userId));
    expect(tokenRow?.revokedAt).toBeInstanceOf(Date);
    expect(await audit(member.userId)).toEqual([
      {
        action: "member.removed",
        details: expect.objectContaining({ role: "developer" }),
        source: "browser",
      },
    ]);
    expect((await rejection(removeMember(admin, member.userId))).code).toBe("not_found");
  });

  it("won't let an admin remove themselves or the last admin", async () => {
    const admin = await teamAdmin();
    const self = await rejection(removeMember(admin, admin.userId));
    expect(self.message).toMatch(/can't remove yourself/);
    expect(await roleOf(admin.teamId, admin.userId)).toBe("admin");

    // An actor that still holds an admin's permissions (e.g. a stale API request) can't remove the only admin.
    const demoted = await teamMember("developer");
    const error = await rejection(removeMember({ ...demoted, role: "admin" }, admin.userId));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/only admin/);
    expect(await roleOf(admin.teamId, admin.userId)).toBe("admin");
    expect((await audit(admin.userId)).map((a) => a.action)).not.toContain("member.removed");
  });
});
