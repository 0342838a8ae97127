// Teams nobody looked at still get their history compacted: the server's background pass rewrites every
// team's dirty days before today, so the first metrics page after a quiet week (or a migration) is fast.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertMetricsFixture } from "../fixture";
import { compactAllTeams } from "./background";

async function counts(teamId: string) {
  const db = await getDb();
  const [row] = rowsOf<{ dirty: number; rolled: number }>(
    await db.execute(sql`select
      (select count(*) from metrics_dirty_days where team_id = ${teamId})::int as dirty,
      (select count(*) from metrics_run_days where team_id = ${teamId})::int as rolled`),
  );
  return row;
}

describe("background compaction of the metrics rollup", () => {
  it("rewrites every team's dirty days before today, whoever opened the metrics page", async () => {
    const db = await getDb();
    const ada = await teamAdmin();
    const bob = await teamMember("developer");
    await insertMetricsFixture(db, { teamId: ada.teamId, ada: ada.userId, bob: bob.userId });
    const other = await otherTeamMember();
    await insertMetricsFixture(db, {
      teamId: other.teamId,
      ada: other.userId,
      bob: other.userId,
      suffix: "-2",
    });
    // The fixture's history (November 14–20, 2026) is all before today: every day it touched is dirty.
    expect((await counts(ada.teamId))?.dirty).toBeGreaterThan(0);
    expect((await counts(other.teamId))?.dirty).toBeGreaterThan(0);

    const compacted = await compactAllTeams();
    expect(compacted.get(ada.teamId)).toBeGreaterThan(0);
    expect(compacted.get(other.teamId)).toBeGreaterThan(0);
    for (const teamId of [ada.teamId, other.teamId]) {
      expect(await counts(teamId)).toMatchObject({ dirty: 0, rolled: expect.any(Number) });
      expect((await counts(teamId))?.rolled).toBeGreaterThan(0);
    }
    // Nothing left to do: a second pass rewrites nothing.
    expect([...(await compactAllTeams()).values()].reduce((a, b) => a + b, 0)).toBe(0);
  });
});
