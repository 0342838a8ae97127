import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { getTeamSettings, updateTeamSettings } from "@/lib/teams/settings";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { DEFAULT_TEAM_CONCURRENCY } from "./caps";
import { claimRun } from "./claim";

describe("the team's cap on runs at once (Settings → General)", () => {
  it("defaults to 50; an admin's cap holds every agent's runs to it, and the next waits in the queue", async () => {
    const admin = await teamAdmin();
    expect((await getTeamSettings(admin)).runs.maxConcurrentRuns).toBe(DEFAULT_TEAM_CONCURRENCY);
    await updateTeamSettings(admin, "runs", { maxConcurrentRuns: "2" });
    expect((await getTeamSettings(admin)).runs.maxConcurrentRuns).toBe(2);
    // Three agents, one run each: no agent cap binds, only the team's.
    const queued = [await insertRun(admin), await insertRun(admin), await insertRun(admin)];
    const first = await claimRun("w1");
    const second = await claimRun("w2");
    expect(first?.status).toBe("running");
    expect(second?.status).toBe("running");
    expect(await claimRun("w3")).toBeNull();
    // Raising the cap lets the third start.
    await updateTeamSettings(admin, "runs", { maxConcurrentRuns: 3 });
    const third = await claimRun("w3");
    expect(new Set([first?.id, second?.id, third?.id])).toEqual(new Set(queued.map((q) => q.run.id)));

    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.teamId, admin.teamId));
    expect(audit.filter((row) => row.action === "team.settings_changed").map((row) => row.details)).toEqual([
      { group: "runs", from: null, to: { maxConcurrentRuns: 2 } },
      { group: "runs", from: { maxConcurrentRuns: 2 }, to: { maxConcurrentRuns: 3 } },
    ]);
  });

  it("is an admin's to change, and refuses what isn't a whole number from 1 to 1,000 with a message", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    await expect(updateTeamSettings(developer, "runs", { maxConcurrentRuns: 5 })).rejects.toMatchObject({
      code: "forbidden",
    });
    for (const [value, message] of <[string, string][]>[
      ["0", "At least 1 run at once."],
      ["1001", "At most 1,000 runs at once."],
      ["2.5", "Runs at once must be a whole number."],
      ["lots", "Runs at once must be a number."],
    ]) {
      await expect(updateTeamSettings(admin, "runs", { maxConcurrentRuns: value })).rejects.toMatchObject({
        message: expect.stringContaining(message),
      });
    }
    // Empty means the default.
    await updateTeamSettings(admin, "runs", { maxConcurrentRuns: "" });
    expect((await getTeamSettings(admin)).runs.maxConcurrentRuns).toBe(DEFAULT_TEAM_CONCURRENCY);
  });
});
