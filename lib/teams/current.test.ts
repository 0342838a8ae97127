import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { memberships, users } from "@/db/schema";
import { actorForSession, loadActor } from "@/lib/auth/actor";
import { currentSessionVersion } from "@/lib/auth/sessions";
import { removeMember } from "@/lib/members/service";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { myTeams, switchTeam } from "./current";

/** A developer of the admin's team who also joined another team later (as its viewer). */
async function personInTwoTeams() {
  const admin = await teamAdmin();
  const person = await teamMember("developer");
  const other = await otherTeamMember("admin");
  const db = await getDb();
  await db.insert(memberships).values({
    teamId: other.teamId,
    userId: person.userId,
    role: "viewer",
    createdAt: new Date(Date.now() + 1000),
  });
  return { admin, person, other };
}

describe("the current team", () => {
  it("is the latest membership by default, and the picker switches it for every session", async () => {
    const { admin, person, other } = await personInTwoTeams();
    const sessionVersion = (await currentSessionVersion(person.userId)) ?? undefined;
    const session = () => actorForSession({ userId: person.userId, sessionVersion }, "browser");
    expect(await session()).toMatchObject({ teamId: other.teamId, role: "viewer" });
    expect((await myTeams(person)).map((t) => t.id).sort()).toEqual([admin.teamId, other.teamId].sort());

    const switched = await switchTeam({ ...person, teamId: other.teamId }, admin.teamId);
    expect(switched).toMatchObject({ teamId: admin.teamId, role: "developer" });
    expect(await session()).toMatchObject({ teamId: admin.teamId, role: "developer" });
    expect(await loadActor(person.userId, "browser")).toMatchObject({ teamId: admin.teamId });

    await switchTeam(switched, other.teamId);
    expect(await session()).toMatchObject({ teamId: other.teamId });
  });

  it("refuses a team the person doesn't belong to, and a made-up id, changing nothing", async () => {
    const { person, other } = await personInTwoTeams();
    const stranger = await otherTeamMember("admin");
    for (const teamId of [stranger.teamId, "not-a-uuid", "00000000-0000-0000-0000-000000000000"]) {
      await expect(switchTeam(person, teamId)).rejects.toMatchObject({ code: "not_found" });
    }
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, person.userId));
    expect(row?.currentTeamId).toBeNull();
    expect(await loadActor(person.userId, "browser")).toMatchObject({ teamId: other.teamId });
  });

  it("falls back to the latest membership once removed from the chosen team", async () => {
    const { admin, person, other } = await personInTwoTeams();
    await switchTeam(person, admin.teamId);
    await removeMember(admin, person.userId);
    expect(await loadActor(person.userId, "browser")).toMatchObject({ teamId: other.teamId });
  });
});
