import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, invites, memberships, modelPrices, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { findOpenInvite, instanceHasTeam, signUp } from "./onboarding";

describe("onboarding", () => {
  it("makes the first person the admin of a new team with the seeded price catalogue", async () => {
    expect(await instanceHasTeam()).toBe(false);
    const admin = await signUp({
      name: "Ada",
      email: " Ada@Example.com ",
      password: "long enough",
      teamName: "Acme",
    });
    expect(admin.role).toBe("admin");
    expect(admin.email).toBe("ada@example.com");
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.id, admin.userId));
    expect(user?.passwordHash).not.toContain("long enough");
    expect(await verifyPassword("long enough", user?.passwordHash ?? "")).toBe(true);
    expect(await verifyPassword("wrong password", user?.passwordHash ?? "")).toBe(false);
    const prices = await db.select().from(modelPrices).where(eq(modelPrices.teamId, admin.teamId));
    expect(
      prices
        .map((p) => [p.model, p.inputPerMtok, p.outputPerMtok, p.cacheWritePerMtok, p.cacheReadPerMtok])
        .sort(),
    ).toEqual([
      ["claude-fable-5", 10, 50, 12.5, 1],
      ["claude-fable-5-1", 10, 50, 12.5, 0.25],
      ["claude-haiku-4-5", 1, 5, 1.25, 0.1],
      ["claude-haiku-5-5", 0.1, 0.5, 0.125, 0.01],
      ["claude-opus-4-5", 5, 25, 6.25, 0.5],
      ["claude-opus-5", 5, 25, 6.25, 0.5],
      ["claude-opus-5-5", 4, 20, 5, 0.2],
      ["claude-sonnet-4-5", 3, 15, 3.75, 0.3],
      ["claude-sonnet-5", 2, 10, 2.5, 0.2],
      ["claude-sonnet-5-5", 2, 10, 2.5, 0.1],
    ]);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.teamId, admin.teamId));
    expect(audit.map((a) => a.action)).toEqual(["team.created"]);
  });

  it("refuses a second founder, a duplicate email and a short password", async () => {
    await expect(signUp({ name: "Bob", email: "bob@example.com", password: "long enough" })).rejects.toThrow(
      /invite link/,
    );
    await expect(signUp({ name: "Ada", email: "ada@example.com", password: "long enough" })).rejects.toThrow(
      /already exists/,
    );
    await expect(signUp({ name: "Bob", email: "bob@example.com", password: "short" })).rejects.toThrow(
      /at least 8/,
    );
  });

  it("lets an invited person join with the invite's role, once", async () => {
    const db = await getDb();
    const [admin] = await db.select().from(memberships).where(eq(memberships.role, "admin"));
    if (!admin) throw new Error("no admin");
    const secret = newSecret("inv_");
    await db.insert(invites).values({
      teamId: admin.teamId,
      tokenHash: hashSecret(secret),
      role: "developer",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    expect((await findOpenInvite(secret))?.role).toBe("developer");
    const dev = await signUp({
      name: "Dev",
      email: "dev@example.com",
      password: "long enough",
      invite: secret,
    });
    expect(dev).toMatchObject({ role: "developer", teamId: admin.teamId });
    expect(await findOpenInvite(secret)).toBeNull();
    await expect(
      signUp({ name: "Eve", email: "eve@example.com", password: "long enough", invite: secret }),
    ).rejects.toThrow(/no longer valid/);
  });

  it("lets a removed member rejoin through a new invite with their own password, and nobody else", async () => {
    const db = await getDb();
    const [admin] = await db.select().from(memberships).where(eq(memberships.role, "admin"));
    if (!admin) throw new Error("no admin");
    const invite = async (role: "developer" | "viewer") => {
      const secret = newSecret("inv_");
      await db.insert(invites).values({
        teamId: admin.teamId,
        tokenHash: hashSecret(secret),
        role,
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      return secret;
    };
    const first = await signUp({
      name: "Ren",
      email: "ren@example.com",
      password: "ren's password",
      invite: await invite("developer"),
    });
    await db.delete(memberships).where(eq(memberships.userId, first.userId));

    const second = await invite("viewer");
    await expect(
      signUp({ name: "Ren", email: "ren@example.com", password: "not the password", invite: second }),
    ).rejects.toThrow(/enter its password to rejoin/);
    expect(await findOpenInvite(second)).not.toBeNull();
    const back = await signUp({
      name: "Ren",
      email: "ren@example.com",
      password: "ren's password",
      invite: second,
    });
    expect(back).toMatchObject({ userId: first.userId, role: "viewer", teamId: admin.teamId });
    expect(await findOpenInvite(second)).toBeNull();
    await expect(
      signUp({
        name: "Ren",
        email: "ren@example.com",
        password: "ren's password",
        invite: await invite("developer"),
      }),
    ).rejects.toThrow(/already a member/);
  });
});
