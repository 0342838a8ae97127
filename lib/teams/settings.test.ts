import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, teams } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { getTeam, renameTeam } from "./settings";

async function renames(teamId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.teamId, teamId));
  return rows.filter((r) => r.action === "team.renamed").map((r) => r.details);
}

describe("team settings", () => {
  it("shows the team to every member and lets an admin rename it, with one audit row", async () => {
    const admin = await teamAdmin();
    const viewer = await teamMember("viewer");
    expect(await getTeam(viewer)).toMatchObject({ id: admin.teamId, name: "Test team", memberCount: 2 });
    const renamed = await renameTeam(admin, { name: "  Platform  " });
    expect(renamed.name).toBe("Platform");
    await renameTeam(admin, { name: "Platform" });
    const db = await getDb();
    const [row] = await db.select().from(teams).where(eq(teams.id, admin.teamId));
    expect(row?.name).toBe("Platform");
    expect(await renames(admin.teamId)).toEqual([{ from: "Test team", to: "Platform" }]);
  });

  it("refuses non-admins and empty names, and never touches another team", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    const other = await otherTeamMember();
    await expect(renameTeam(developer, { name: "Mine" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(renameTeam(admin, { name: " " })).rejects.toBeInstanceOf(AppError);
    await renameTeam(admin, { name: "Renamed again" });
    expect((await getTeam(other)).name).toBe("Other team");
    expect((await getTeam(admin)).name).toBe("Renamed again");
  });
});
