import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, users } from "@/db/schema";
import { otherTeamMember, teamMember } from "@/lib/testing/fixtures";
import { changePassword } from "./change-password";
import { checkCredentials } from "./credentials";
import { currentSessionVersion } from "./sessions";
import { EMAIL_LIMIT } from "./throttle";

const OLD = "correct horse battery";

async function fieldError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error("expected a refusal");
  if (error instanceof Error && "issues" in error) {
    const issue = (error as { issues: { path: PropertyKey[]; message: string }[] }).issues[0];
    return { field: String(issue?.path[0]), message: issue?.message };
  }
  return { field: (error as { field?: string }).field, message: (error as Error).message };
}

describe("changing a password", () => {
  it("stores the new hash, ends every session and writes an audit row", async () => {
    const dev = await teamMember("developer");
    const before = await currentSessionVersion(dev.userId);
    await changePassword(dev, {
      currentPassword: OLD,
      newPassword: "a brand new secret",
      confirmPassword: "a brand new secret",
    });

    expect(await currentSessionVersion(dev.userId)).toBe((before ?? 0) + 1);
    const address = null;
    expect(await checkCredentials({ email: dev.email, password: OLD, address })).toBeNull();
    expect((await checkCredentials({ email: dev.email, password: "a brand new secret", address }))?.id).toBe(
      dev.userId,
    );
    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, dev.userId));
    expect(audit.map((row) => row.action)).toContain("user.password_changed");
  });

  it("refuses a wrong current password at its field, and changes nothing", async () => {
    const dev = await teamMember("developer");
    const before = await currentSessionVersion(dev.userId);
    const refusal = await fieldError(
      changePassword(dev, {
        currentPassword: "not it at all",
        newPassword: "a brand new secret",
        confirmPassword: "a brand new secret",
      }),
    );
    expect(refusal).toEqual({ field: "currentPassword", message: "That isn't your current password." });
    expect(await currentSessionVersion(dev.userId)).toBe(before);
    expect((await checkCredentials({ email: dev.email, password: OLD, address: null }))?.id).toBe(dev.userId);
  });

  it("refuses a weak or mistyped new password at its field", async () => {
    const dev = await teamMember("developer");
    expect(
      await fieldError(
        changePassword(dev, { currentPassword: OLD, newPassword: "short", confirmPassword: "short" }),
      ),
    ).toEqual({ field: "newPassword", message: "Password must be at least 8 characters." });
    expect(
      (
        await fieldError(
          changePassword(dev, {
            currentPassword: OLD,
            newPassword: "a brand new secret",
            confirmPassword: "a brand new secreT",
          }),
        )
      ).field,
    ).toBe("confirmPassword");
    expect((await checkCredentials({ email: dev.email, password: OLD, address: null }))?.id).toBe(dev.userId);
  });

  it("is throttled like sign-in: after too many wrong guesses even the right password is refused", async () => {
    const dev = await teamMember("developer");
    const db = await getDb();
    const hashOf = async () =>
      (await db.select().from(users).where(eq(users.id, dev.userId)))[0]?.passwordHash;
    const before = await hashOf();
    const attempt = (currentPassword: string) =>
      changePassword(dev, {
        currentPassword,
        newPassword: "a brand new secret",
        confirmPassword: "a brand new secret",
      });
    for (let i = 0; i < EMAIL_LIMIT; i++) await fieldError(attempt(`guess ${i} wrong`));
    expect(await attempt(OLD).catch((e: { code?: string }) => e.code)).toBe("rate_limited");
    expect(await hashOf()).toBe(before);
  });

  it("tells a GitHub-only account it has no password", async () => {
    const github = await otherTeamMember();
    await expect(
      changePassword(github, {
        currentPassword: "anything here",
        newPassword: "a brand new secret",
        confirmPassword: "a brand new secret",
      }),
    ).rejects.toThrow(/signs in through GitHub/);
  });
});
