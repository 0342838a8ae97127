import { describe, expect, it } from "vitest";
import { changeRole, createInvite, removeMember } from "@/lib/members/service";
import { signUp } from "@/lib/teams/onboarding";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { actorForSession } from "./actor";
import { currentSessionVersion, signOutSession } from "./sessions";

/** What the JWT of a fresh sign-in carries (the jwt callback copies the version the same way). */
async function signInToken(userId: string) {
  const sv = await currentSessionVersion(userId);
  if (sv === null) throw new Error("no such user");
  return { sub: userId, sv };
}

const actorOf = (token: { sub: string; sv?: number }) =>
  actorForSession({ userId: token.sub, sessionVersion: token.sv }, "browser");

describe("revocable sessions", () => {
  it("refuses a session token from before sign-out, and accepts the next sign-in", async () => {
    const dev = await teamMember("developer");
    const other = await teamMember("developer");
    const token = await signInToken(dev.userId);
    const otherToken = await signInToken(other.userId);
    expect((await actorOf(token))?.userId).toBe(dev.userId);

    await signOutSession(token);
    expect(await actorOf(token)).toBeNull();
    // Someone else's session is untouched.
    expect((await actorOf(otherToken))?.userId).toBe(other.userId);
    // Signing out again with the dead token changes nothing for a new sign-in.
    const fresh = await signInToken(dev.userId);
    await signOutSession(token);
    expect((await actorOf(fresh))?.role).toBe("developer");
  });

  it("refuses the old session once the role is lowered, but not when it is raised", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const before = await signInToken(dev.userId);
    await changeRole(admin, dev.userId, "admin");
    expect((await actorOf(before))?.role).toBe("admin");

    await changeRole(admin, dev.userId, "viewer");
    expect(await actorOf(before)).toBeNull();
    expect((await actorOf(await signInToken(dev.userId)))?.role).toBe("viewer");
  });

  it("refuses the session of a removed member, even after they rejoin", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const token = await signInToken(dev.userId);
    await removeMember(admin, dev.userId);
    expect(await actorOf(token)).toBeNull();

    const { path } = await createInvite(admin, { role: "developer" });
    const invite = path.slice("/invite/".length);
    await signUp({ name: dev.name, email: dev.email, password: "correct horse battery", invite });
    expect(await actorOf(token)).toBeNull();
    expect((await actorOf(await signInToken(dev.userId)))?.role).toBe("developer");
  });

  it("refuses a token without a session version (issued before versions existed)", async () => {
    const dev = await teamMember("developer");
    expect(await actorOf({ sub: dev.userId })).toBeNull();
  });
});
