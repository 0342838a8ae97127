// A task's status follows all of its runs (one branch per agent), through the engine's own RunStore.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, type Run, runs, tasks } from "@/db/schema";
import { RunStore } from "@/lib/engine/run-store";
import { subscribeTeamChanges } from "@/lib/events/bus";
import type { TeamChange } from "@/lib/events/team-changes";
import { cancelRun } from "@/lib/runs/service";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";

async function twoRuns() {
  const admin = await teamAdmin();
  const first = await insertRun(admin);
  const db = await getDb();
  const [other] = await db
    .insert(agents)
    .values({ teamId: admin.teamId, name: `second-${first.agent.name}`, model: "claude-haiku-4-5" })
    .returning();
  const [second] = await db
    .insert(runs)
    .values({
      teamId: admin.teamId,
      taskId: first.task.id,
      agentId: other?.id as string,
      model: "claude-haiku-4-5",
      branch: `${first.run.branch}-second`,
    })
    .returning();
  if (!second) throw new Error("fixture insert failed");
  return { admin, task: first.task, a: first.run, b: second };
}

/** What a worker's claim does, then the engine's first write. */
async function start(run: Run, worker: string): Promise<RunStore> {
  const db = await getDb();
  await db
    .update(runs)
    .set({ status: "running", leaseOwner: worker, startedAt: new Date() })
    .where(eq(runs.id, run.id));
  const store = new RunStore(run, worker);
  await store.recordStart({
    workerId: worker,
    resumed: false,
    branch: run.branch,
    baseBranch: "main",
    attempt: 1,
  });
  return store;
}

async function taskStatus(taskId: string) {
  const db = await getDb();
  const [row] = await db.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, taskId));
  return row?.status;
}

describe("a task's status from its runs", () => {
  it("stays in review when one agent fails and another succeeded, and runs while any agent works", async () => {
    const t = await twoRuns();
    expect(await taskStatus(t.task.id)).toBe("queued");
    const a = await start(t.a, "worker-a");
    expect(await taskStatus(t.task.id)).toBe("running");
    await a.setStatus("waiting_approval");
    expect(await taskStatus(t.task.id)).toBe("needs_human");
    await a.setStatus("running");
    await a.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null });
    // The second agent is still queued behind its cap: the task is not in review yet.
    expect(await taskStatus(t.task.id)).toBe("running");

    const b = await start(t.b, "worker-b");
    await b.finish("failed", { stopReason: "error", error: "boom", outcome: "failed", reason: "boom" });
    expect(await taskStatus(t.task.id)).toBe("in_review");
  });

  it("tells the team's watchers of each status change, with the run's ids, once the task has moved", async () => {
    const t = await twoRuns();
    const heard: { change: TeamChange; taskStatus: string | undefined }[] = [];
    const off = await subscribeTeamChanges(t.admin.teamId, (change) => {
      void taskStatus(t.task.id).then((status) => heard.push({ change, taskStatus: status }));
    });
    try {
      const a = await start(t.a, "worker-a");
      await expect.poll(() => heard.length).toBe(1);
      await cancelRun(t.admin, t.b.id);
      await expect.poll(() => heard.length).toBe(2);
      await a.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null });
      await expect.poll(() => heard.length).toBe(3);
      const ids = (runId: string) => ({ teamId: t.admin.teamId, kind: "run", taskId: t.task.id, runId });
      expect(heard.map((h) => h.change)).toEqual([ids(t.a.id), ids(t.b.id), ids(t.a.id)]);
      // Each notice comes with its commit: whoever reads on hearing it sees the task already moved.
      expect(heard.map((h) => h.taskStatus)).toEqual(["running", "running", "in_review"]);
    } finally {
      await off();
    }
  });

  it("fails only when every agent's run failed; cancelling one queued run leaves the other's task alone", async () => {
    const t = await twoRuns();
    await cancelRun(t.admin, t.b.id);
    expect(await taskStatus(t.task.id)).toBe("queued");
    const a = await start(t.a, "worker-a");
    await a.finish("failed", { stopReason: "error", error: "boom", outcome: "failed", reason: "boom" });
    expect(await taskStatus(t.task.id)).toBe("failed");
  });

  it("goes to review when two agents finish at the same moment", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const t = await twoRuns();
      const [a, b] = [await start(t.a, "worker-a"), await start(t.b, "worker-b")];
      await Promise.all([
        a.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null }),
        b.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null }),
      ]);
      expect(await taskStatus(t.task.id)).toBe("in_review");
    }
  });

  it("never reopens a merged or discarded task", async () => {
    const t = await twoRuns();
    const db = await getDb();
    await db.update(tasks).set({ status: "discarded" }).where(eq(tasks.id, t.task.id));
    const a = await start(t.a, "worker-a");
    await a.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null });
    expect(await taskStatus(t.task.id)).toBe("discarded");
  });

  it("is in review when one agent has changes ready and the other brought none", async () => {
    const t = await twoRuns();
    const [a, b] = [await start(t.a, "worker-a"), await start(t.b, "worker-b")];
    await a.finish("succeeded", {
      stopReason: "end_turn",
      outcome: "no_changes",
      reason: "The run changed no file.",
    });
    expect(await taskStatus(t.task.id)).toBe("running");
    await b.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null });
    expect(await taskStatus(t.task.id)).toBe("in_review");
  });

  it("needs a human, never review, when no agent brought changes: one changed nothing, one is blocked", async () => {
    const t = await twoRuns();
    const [a, b] = [await start(t.a, "worker-a"), await start(t.b, "worker-b")];
    await a.finish("succeeded", { stopReason: "end_turn", outcome: "no_changes", reason: "Nothing to do." });
    await b.finish("succeeded", { stopReason: "finish_task", outcome: "blocked", reason: "No access." });
    expect(await taskStatus(t.task.id)).toBe("needs_human");
  });

  it("is in review with changes whose verification failed (flagged, still reviewable)", async () => {
    const t = await twoRuns();
    const [a, b] = [await start(t.a, "worker-a"), await start(t.b, "worker-b")];
    await a.finish("succeeded", {
      stopReason: "end_turn",
      outcome: "verification_failed",
      reason: "The test command failed (exit 1).",
    });
    await b.finish("failed", { stopReason: "error", error: "boom", outcome: "failed", reason: "boom" });
    expect(await taskStatus(t.task.id)).toBe("in_review");
  });
});
