// "Run again" on a real database: a new run of the same task, refused while one is active, audited, and
// the failed task leaves its assigner's inbox because it is running again.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, runs, tasks } from "@/db/schema";
import { listInbox } from "@/lib/inbox/queries";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { runAgain } from "./run-again";

async function fail(run: { id: string; taskId: string }) {
  const db = await getDb();
  await db.update(runs).set({ status: "failed", error: "The tests still fail." }).where(eq(runs.id, run.id));
  await db.update(tasks).set({ status: "failed" }).where(eq(tasks.id, run.taskId));
}

describe("run again", () => {
  it("queues a new run of the task on its branch, audits it, and takes the failure out of the inbox", async () => {
    const dev = await teamMember("developer");
    const { run, task } = await insertRun(dev, { agent: { maxSteps: 9 } });
    const db = await getDb();
    await db.update(runs).set({ maxCostUsd: 1.25 }).where(eq(runs.id, run.id));
    await fail(run);
    expect((await listInbox(dev)).map((i) => [i.kind, i.taskNumber])).toContainEqual(["failed", task.number]);

    const again = await runAgain(dev, { runId: run.id });
    expect(again).toMatchObject({
      taskId: task.id,
      status: "queued",
      kind: "rerun",
      parentRunId: run.id,
      branch: run.branch,
      agentId: run.agentId,
      maxSteps: 9,
      maxCostUsd: 1.25,
      startedBy: dev.userId,
      steps: 0,
    });
    expect(again.id).not.toBe(run.id);
    const [taskNow] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(taskNow?.status).toBe("queued");
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, again.id));
    expect(audit).toMatchObject([
      {
        action: "run.rerun",
        actorId: dev.userId,
        details: { parentRunId: run.id, previousStatus: "failed" },
      },
    ]);
    expect((await listInbox(dev)).some((i) => i.kind === "failed" && i.taskNumber === task.number)).toBe(
      false,
    );
  });

  it("refuses while a run of the task is still active, with a message that says what to do", async () => {
    const admin = await teamAdmin();
    const { run, task } = await insertRun(admin);
    await expect(runAgain(admin, { runId: run.id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/still queued.*cancel it/),
    });
    await fail(run);
    const again = await runAgain(admin, { runId: run.id });
    // The new run is queued: pressing the button on the old run's page again queues nothing more.
    await expect(runAgain(admin, { runId: run.id })).rejects.toMatchObject({ code: "conflict" });
    const db = await getDb();
    const taskRuns = await db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(taskRuns.map((r) => r.id).sort()).toEqual([run.id, again.id].sort());
  });

  it("refuses viewers, other teams, bad ids and closed tasks, and changes nothing", async () => {
    const admin = await teamAdmin();
    const { run, task } = await insertRun(admin);
    await fail(run);
    const viewer = await teamMember("viewer");
    await expect(runAgain(viewer, { runId: run.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(runAgain(await otherTeamMember(), { runId: run.id })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(runAgain(admin, { runId: "not-a-uuid" })).rejects.toMatchObject({ code: "not_found" });
    await expect(runAgain(admin, { runId: "" })).rejects.toThrow(/Choose a run/);
    const db = await getDb();
    await db.update(tasks).set({ status: "merged" }).where(eq(tasks.id, task.id));
    await expect(runAgain(admin, { runId: run.id })).rejects.toThrow(/merged; it can't run again/);
    const taskRuns = await db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(taskRuns).toHaveLength(1);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "run.rerun"), eq(auditEvents.teamId, admin.teamId)));
    expect(audit.filter((a) => (a.details as { taskId?: string }).taskId === task.id)).toEqual([]);
  });
});
