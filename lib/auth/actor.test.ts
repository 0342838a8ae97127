import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { memberships, teams } from "@/db/schema";
import { teamMember } from "@/lib/testing/fixtures";
import { authenticateApiToken, createApiToken } from "@/lib/tokens/service";
import { loadActor } from "./actor";

async function newTeam(name: string) {
  const db = await getDb();
  const [team] = await db.insert(teams).values({ name }).returning();
  if (!team) throw new Error("no team");
  return team;
}

describe("the current team", () => {
  it("is the team joined last, every time, for someone in two teams", async () => {
    const member = await teamMember("developer");
    const { token } = await createApiToken(member, { name: "ci" });
    const later = await newTeam("Joined later");
    const db = await getDb();
    await db.insert(memberships).values({
      teamId: later.id,
      userId: member.userId,
      role: "viewer",
      createdAt: new Date(Date.now() + 60_000),
    });
    for (let i = 0; i < 5; i++) {
      const actor = await loadActor(member.userId, "browser");
      expect([actor?.teamId, actor?.role]).toEqual([later.id, "viewer"]);
    }
    // An API token keeps acting in the team it was made in.
    expect((await authenticateApiToken(token))?.teamId).toBe(member.teamId);
  });

  it("breaks a tie of join times by team id", async () => {
    const member = await teamMember("viewer");
    const joinedAt = new Date(Date.now() + 120_000);
    const [a, b] = [await newTeam("A"), await newTeam("B")].sort((x, y) => (x.id < y.id ? 1 : -1));
    if (!a || !b) throw new Error("no teams");
    const db = await getDb();
    // The larger id is inserted first, so the answer can't come from insertion order.
    await db
      .insert(memberships)
      .values({ teamId: a.id, userId: member.userId, role: "admin", createdAt: joinedAt });
    await db
      .insert(memberships)
      .values({ teamId: b.id, userId: member.userId, role: "admin", createdAt: joinedAt });
    expect((await loadActor(member.userId, "browser"))?.teamId).toBe(b.id);
  });
});
