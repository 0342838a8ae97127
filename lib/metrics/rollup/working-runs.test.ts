// A working run's per-step totals mark no day (migration 0019): compaction keeps the days of working runs dirty
// instead, so the metrics show the run's spend as it grows, and the run's end marks its days as before.
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { runs } from "@/db/schema";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { getMetrics } from "../service";
import { compactMetricsDays } from "./compact";

const TOMORROW = () => new Date(Date.now() + 86_400_000);

async function dirtyDays(teamId: string): Promise<string[]> {
  const db = await getDb();
  return rowsOf<{ day: string }>(
    await db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day from metrics_dirty_days
      where team_id = ${teamId} order by day`),
  ).map((row) => row.day);
}

/** One step's totals, as the engine's append writes them. */
async function bump(runId: string, costUsd: number) {
  const db = await getDb();
  await db.execute(sql`update runs set cost_usd = cost_usd + ${costUsd}, input_tokens = input_tokens + 100,
    output_tokens = output_tokens + 20, model_ms = model_ms + 300, tool_ms = tool_ms + 5, steps = steps + 1
    where id = ${runId}`);
}

it("shows a working run's spend as it grows, without marking a day at each step", async () => {
  const admin = await teamAdmin();
  const db = await getDb();
  const today = new Date().toISOString().slice(0, 10);
  const { run } = await insertRun(admin);
  await db.update(runs).set({ status: "running", startedAt: new Date() }).where(eq(runs.id, run.id));
  await bump(run.id, 0.25);

  // Compaction leaves the working run's day dirty (even when asked to compact today)...
  expect(await compactMetricsDays(admin.teamId, { before: TOMORROW() })).toMatchObject({ skipped: false });
  expect(await dirtyDays(admin.teamId)).toEqual([today]);
  // ...because the run's steps no longer mark it: with the mark gone, a step leaves none.
  await db.execute(sql`delete from metrics_dirty_days where team_id = ${admin.teamId}`);
  await bump(run.id, 0.5);
  expect(await dirtyDays(admin.teamId)).toEqual([]);
  await db.execute(
    sql`insert into metrics_dirty_days (team_id, day) values (${admin.teamId}, ${today}::date)`,
  );

  await bump(run.id, 0.5);
  expect((await getMetrics(admin, { range: "7d" })).total.spend).toBeCloseTo(1.25, 6);

  // The run's end marks its day; compacted, the rollup holds the final spend.
  await db
    .update(runs)
    .set({ status: "succeeded", finishedAt: new Date(), outcome: "no_changes" })
    .where(eq(runs.id, run.id));
  expect(await compactMetricsDays(admin.teamId, { before: TOMORROW() })).toMatchObject({ skipped: false });
  expect(await dirtyDays(admin.teamId)).toEqual([]);
  expect((await getMetrics(admin, { range: "7d" })).total.spend).toBeCloseTo(1.25, 6);
});
