import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiTokens, auditEvents, memberships } from "@/db/schema";
import { hashSecret } from "@/lib/auth/secrets";
import { AppError } from "@/lib/errors";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "./service";

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function auditFor(objectId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.objectId, objectId));
  return rows.sort((a, b) => a.id - b.id).map((r) => [r.action, r.actorId]);
}

async function tokenRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

describe("API tokens", () => {
  it("creates a token shown once: only its hash and a short prefix are stored", async () => {
    const viewer = await teamMember("viewer");
    const { token, row } = await createApiToken(viewer, { name: "  CI bot  " });
    expect(token).toMatch(/^fm_[\w-]{30,}$/);
    const stored = await tokenRow(row.id);
    expect(stored).toMatchObject({ name: "CI bot", userId: viewer.userId, teamId: viewer.teamId });
    expect(stored?.tokenHash).toBe(hashSecret(token));
    expect(token.startsWith(stored?.prefix ?? "?")).toBe(true);
    expect(stored?.prefix.length).toBeLessThan(12);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await auditFor(row.id)).toEqual([["token.created", viewer.userId]]);
    expect((await rejection(createApiToken(viewer, { name: "  " }))).field).toBe("name");
  });

  it("authenticates a bearer token as its creator with their current role, and notes when it was used", async () => {
    const developer = await teamMember("developer");
    const { token, row } = await createApiToken(developer, { name: "script" });
    expect((await tokenRow(row.id))?.lastUsedAt).toBeNull();
    const actor = await authenticateApiToken(`Bearer ${token}`);
    expect(actor).toMatchObject({ userId: developer.userId, teamId: developer.teamId, role: "developer" });
    expect(actor?.source).toBe("api");
    expect((await tokenRow(row.id))?.lastUsedAt).toBeInstanceOf(Date);

    const db = await getDb();
    await db.update(memberships).set({ role: "viewer" }).where(eq(memberships.userId, developer.userId));
    expect((await authenticateApiToken(token))?.role).toBe("viewer");

    expect(await authenticateApiToken(`Bearer ${token}x`)).toBeNull();
    expect(await authenticateApiToken("Bearer fm_nothing")).toBeNull();
    expect(await authenticateApiToken("")).toBeNull();
    expect(await authenticateApiToken(null)).toBeNull();
  });

  it("lists own tokens; an admin sees the whole team's, never another team's", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const other = await teamMember("viewer");
    const stranger = await otherTeamMember();
    const mine = await createApiToken(dev, { name: "dev token" });
    const theirs = await createApiToken(other, { name: "viewer token" });
    const foreign = await createApiToken(stranger, { name: "foreign" });
    const devList = await listApiTokens(dev);
    expect(devList.map((t) => t.id)).toEqual([mine.row.id]);
    expect(devList[0]).toMatchObject({ name: "dev token", prefix: mine.row.prefix, ownerEmail: dev.email });
    expect(devList[0]).not.toHaveProperty("tokenHash");
    const adminList = (await listApiTokens(admin)).map((t) => t.id);
    expect(adminList).toEqual(expect.arrayContaining([mine.row.id, theirs.row.id]));
    expect(adminList).not.toContain(foreign.row.id);
  });

  it("revokes: own tokens for anyone, any team token for admins; revoked tokens stop working", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const viewer = await teamMember("viewer");
    const devToken = await createApiToken(dev, { name: "a" });
    const viewerToken = await createApiToken(viewer, { name: "b" });

    expect((await rejection(revokeApiToken(dev, viewerToken.row.id))).code).toBe("not_found");
    expect((await tokenRow(viewerToken.row.id))?.revokedAt).toBeNull();
    const stranger = await otherTeamMember("admin");
    expect((await rejection(revokeApiToken(stranger, devToken.row.id))).code).toBe("not_found");

    await revokeApiToken(dev, devToken.row.id);
    expect(await authenticateApiToken(devToken.token)).toBeNull();
    expect((await listApiTokens(dev)).map((t) => t.id)).not.toContain(devToken.row.id);
    expect((await rejection(revokeApiToken(dev, devToken.row.id))).code).toBe("conflict");

    await revokeApiToken(admin, viewerToken.row.id);
    expect(await authenticateApiToken(viewerToken.token)).toBeNull();
    expect(await auditFor(devToken.row.id)).toEqual([
      ["token.created", dev.userId],
      ["token.revoked", dev.userId],
    ]);
    expect(await auditFor(viewerToken.row.id)).toEqual([
      ["token.created", viewer.userId],
      ["token.revoked", admin.userId],
    ]);
  });
});
