// The rollup equals a recomputation from the raw rows after each kind of change the product makes: a run
// finishing on the real engine, a review round (request changes, follow-up run, approve, merge), a run
// cancelled in the queue, an old day touched again, a later edit of a task, and the migration's backfill.
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { reviews, tasks } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { mergeTask } from "@/lib/reviews/merge";
import { approveTask, requestChanges } from "@/lib/reviews/service";
import { cancelRun } from "@/lib/runs/service";
import { createTask } from "@/lib/tasks/service";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { compactMetricsDays } from "./compact";
import { ROLLUPS } from "./facts";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const TOMORROW = () => new Date(Date.now() + 86_400_000);

/** Rows as comparable values: numbers for numerics, arrays sorted (their order is the scan's). */
function normalise(rows: Record<string, unknown>[]) {
  return rows
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([name, value]) => {
          if (Array.isArray(value)) return [name, value.map(Number).sort((a, b) => a - b)];
          if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return [name, Number(value)];
          return [name, value];
        }),
      ),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Each rollup table's rows next to the rows recomputed from scratch for every day of the last two weeks. */
async function rollupAndRecomputation(teamId: string) {
  const db = await getDb();
  const days = Array.from({ length: 16 }, (_, i) => isoDay(new Date(Date.now() - (i - 1) * 86_400_000)));
  const result: Record<string, { rollup: unknown[]; recomputed: unknown[] }> = {};
  for (const [kind, { table, columns, rows }] of Object.entries(ROLLUPS)) {
    const list = sql.raw(
      columns.map((c) => (c === "day" ? "to_char(day, 'YYYY-MM-DD') as day" : c)).join(", "),
    );
    const rollup = rowsOf<Record<string, unknown>>(
      await db.execute(sql`select ${list} from ${sql.raw(table)} where team_id = ${teamId}`),
    );
    const recomputed = rowsOf<Record<string, unknown>>(
      await db.execute(sql`select ${list} from (${rows(teamId, days)}) x`),
    );
    result[kind] = { rollup: normalise(rollup), recomputed: normalise(recomputed) };
  }
  return result;
}

async function expectRollupExact(teamId: string) {
  expect(await compactMetricsDays(teamId, { before: TOMORROW() })).toMatchObject({ skipped: false });
  const db = await getDb();
  const [dirty] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from metrics_dirty_days where team_id = ${teamId}`),
  );
  expect(dirty?.n).toBe(0);
  for (const [kind, { rollup, recomputed }] of Object.entries(await rollupAndRecomputation(teamId))) {
    expect(rollup, `${kind} rollup`).toEqual(recomputed);
  }
}

async function dirtyDays(teamId: string) {
  const db = await getDb();
  return rowsOf<{ day: string }>(
    await db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day from metrics_dirty_days
      where team_id = ${teamId} order by day`),
  ).map((row) => row.day);
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

describe("the metrics rollup", () => {
  it("equals a recomputation from the raw rows through runs, reviews, cancels, edits and a backfill", async () => {
    h = await engineSetup();
    const setup = h;
    const db = setup.db;
    const team = setup.admin.teamId;
    setup.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: "src/add.js",
        old_str: "a - b",
        new_str: "a + b",
      }),
      fakeText("Fixed add."),
    );
    await setup.execute();
    expect((await setup.taskRow())?.status).toBe("in_review");
    // The run's history moved two days back, as if it had run then: both days are marked.
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await db.execute(sql`update runs set queued_at = queued_at - interval '2 days',
      started_at = started_at - interval '2 days', finished_at = finished_at - interval '2 days'
      where id = ${setup.run.id}`);
    expect(await dirtyDays(team)).toEqual(expect.arrayContaining([isoDay(twoDaysAgo), isoDay(new Date())]));
    await expectRollupExact(team);
    const [runDay] = rowsOf<{ runs: number }>(
      await db.execute(sql`select sum(runs)::int as runs from metrics_run_days
        where team_id = ${team} and day = ${isoDay(twoDaysAgo)}::date`),
    );
    expect(runDay?.runs).toBe(1);

    // A review today of the run that finished two days ago, and its follow-up run on the real engine.
    const reviewer = await teamMember("developer");
    const { run: followUp } = await requestChanges(reviewer, setup.task.id, { body: "Also add a test." });
    // Only today changed (the review, the new run); a stale day would show in the comparison below.
    expect(await dirtyDays(team)).toEqual([isoDay(new Date())]);
    setup.fake.enqueue(fakeText("Added it."));
    const claimed = await claimRun("worker-follow-up");
    expect(claimed?.id).toBe(followUp.id);
    if (!claimed) throw new Error("no run claimed");
    await executeRun(claimed, { workerId: "worker-follow-up", client: setup.client });
    await expectRollupExact(team);

    await approveTask(reviewer, setup.task.id);
    expect((await mergeTask(reviewer, setup.task.id)).status).toBe("merged");
    await expectRollupExact(team);
    const [merged] = await db.select().from(tasks).where(eq(tasks.id, setup.task.id));
    expect(merged?.endedAt?.getTime()).toBe(merged?.closedAt?.getTime());

    // A task cancelled while its run is still queued: its run counts, the task is no outcome.
    const { run: queued, task: second } = await createTask(setup.admin, {
      title: "Never started",
      prompt: "Go",
      repoId: setup.repo.id,
      agentId: setup.agent.id,
    } as Parameters<typeof createTask>[1]);
    await cancelRun(setup.admin, queued.id);
    await expectRollupExact(team);
    const [cancelled] = await db.select().from(tasks).where(eq(tasks.id, second.id));
    expect(cancelled?.status).toBe("cancelled");

    // The task's person changes: its runs and reviews move group, on the old day too.
    await db.update(tasks).set({ assignedBy: reviewer.userId }).where(eq(tasks.id, setup.task.id));
    expect(await dirtyDays(team)).toEqual(expect.arrayContaining([isoDay(twoDaysAgo), isoDay(new Date())]));
    await expectRollupExact(team);
    // A review written straight into an old day (an import, a correction) marks that day by itself.
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    await db.insert(reviews).values({
      teamId: team,
      taskId: setup.task.id,
      runId: setup.run.id,
      reviewerId: reviewer.userId,
      decision: "changes_requested",
      createdAt: threeDaysAgo,
    });
    expect(await dirtyDays(team)).toContain(isoDay(threeDaysAgo));
    await expectRollupExact(team);

    // A later edit of an ended task neither moves its end nor marks a day.
    await db
      .update(tasks)
      .set({ title: "Renamed", updatedAt: TOMORROW() })
      .where(eq(tasks.id, setup.task.id));
    const [renamed] = await db.select().from(tasks).where(eq(tasks.id, setup.task.id));
    expect(renamed?.endedAt?.getTime()).toBe(merged?.endedAt?.getTime());
    expect(await dirtyDays(team)).toEqual([]);

    // The migration's backfill, run again on a database whose rollup and task ends are gone, rebuilds the same.
    const before = await rollupAndRecomputation(team);
    await db.execute(sql`delete from metrics_run_days where team_id = ${team}`);
    await db.execute(sql`delete from metrics_review_days where team_id = ${team}`);
    await db.execute(sql`delete from metrics_task_days where team_id = ${team}`);
    await db.execute(sql`alter table tasks disable trigger user`);
    await db.execute(sql`update tasks set ended_at = null where team_id = ${team}`);
    await db.execute(sql`alter table tasks enable trigger user`);
    for (const statement of backfillStatements()) await db.execute(sql.raw(statement));
    const [restored] = await db.select().from(tasks).where(eq(tasks.id, setup.task.id));
    expect(restored?.endedAt?.getTime()).toBe(merged?.endedAt?.getTime());
    await expectRollupExact(team);
    expect(await rollupAndRecomputation(team)).toEqual(before);
  }, 180_000); // two real engine runs, verification and a merge: slow on a busy machine
});

/** The backfill statements of the migration that created the rollup, as written there. */
function backfillStatements(): string[] {
  const file = path.join(process.cwd(), "db/migrations/0004_metrics_rollup.sql");
  return fs
    .readFileSync(file, "utf8")
    .split("--> statement-breakpoint")
    .map((part) =>
      part
        .split("\n")
        .filter((line) => !line.trimStart().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter((statement) => /^(UPDATE tasks|INSERT INTO metrics_dirty_days)/.test(statement));
}
