import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, teams } from "@/db/schema";
import { SPEND_CAP_KEY } from "@/lib/metrics/spend-cap";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { getTeamSettings, updateTeamSettings } from "./settings";

describe("WIP limits", () => {
  it("an admin sets limits per column (empty = none), kept beside other settings, audited", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    await db
      .update(teams)
      .set({ settings: { [SPEND_CAP_KEY]: 50 } })
      .where(eq(teams.id, admin.teamId));
    expect((await getTeamSettings(admin)).wipLimits).toEqual({});
    const saved = await updateTeamSettings(admin, "wipLimits", { running: "5", in_review: "3", queued: "" });
    expect(saved.wipLimits).toEqual({ running: 5, in_review: 3 });
    const developer = await teamMember("developer");
    expect((await getTeamSettings(developer)).wipLimits).toEqual({ running: 5, in_review: 3 });
    const [row] = await db.select().from(teams).where(eq(teams.id, admin.teamId));
    expect(row?.settings).toEqual({ [SPEND_CAP_KEY]: 50, wipLimits: { running: 5, in_review: 3 } });
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, "team.settings_changed"));
    expect(audit.map((a) => a.details)).toEqual([
      { group: "wipLimits", from: null, to: { running: 5, in_review: 3 } },
    ]);
    expect((await getTeamSettings(await otherTeamMember())).wipLimits).toEqual({});
  });

  it("refuses non-admins and bad numbers with the column named", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    await expect(updateTeamSettings(developer, "wipLimits", { running: "3" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(updateTeamSettings(admin, "wipLimits", { running: "0" })).rejects.toMatchObject({
      field: "running",
      message: "A limit is at least 1 (leave it empty for none).",
    });
    await expect(updateTeamSettings(admin, "wipLimits", { queued: "2.5" })).rejects.toMatchObject({
      field: "queued",
      message: "Enter a whole number.",
    });
    await expect(updateTeamSettings(admin, "wipLimits", { needs_human: "lots" })).rejects.toMatchObject({
      field: "needs_human",
    });
  });
});
