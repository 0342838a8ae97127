import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { tasks } from "@/db/schema";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { runE2eMetricsHook } from "./e2e-hook";

afterEach(() => {
  delete process.env.FOREMAN_E2E_HOOKS;
});

describe("the end-to-end fixture hook", () => {
  it("does nothing on a server not started by the e2e suite, nor for anyone but an admin", async () => {
    const admin = await teamAdmin();
    await expect(runE2eMetricsHook(admin, "load")).rejects.toMatchObject({ code: "not_found" });
    process.env.FOREMAN_E2E_HOOKS = "1";
    await expect(runE2eMetricsHook(await teamMember("developer"), "load")).rejects.toThrow(/can.t do that/);
    const db = await getDb();
    expect(await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).toHaveLength(0);

    await runE2eMetricsHook(admin, "load");
    expect(await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).toHaveLength(9);
  });
});
