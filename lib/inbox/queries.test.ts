import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, runs, tasks } from "@/db/schema";
import { appendRunEvents } from "@/lib/events/append";
import { decideApproval } from "@/lib/runs/service";
import { createTask } from "@/lib/tasks/service";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { listInbox } from "./queries";

async function waitForApproval(run: { id: string; teamId: string }, toolUseId: string, command: string) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await appendRunEvents(tx, run, [
      { type: "approval_requested", payload: { toolUseId, command, pattern: "rm -rf" } },
    ]);
    await tx.update(runs).set({ status: "waiting_approval" }).where(eq(runs.id, run.id));
  });
}

describe("inbox", () => {
  it("shows each person what waits on them: approvals if they may answer, their reviews, failures they assigned — oldest first", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const viewer = await teamMember("viewer");
    const db = await getDb();

    // dev assigned a task that failed; admin reviews another; a third waits on a risky command.
    const failed = await insertRun(dev);
    await db
      .update(tasks)
      .set({ status: "failed", updatedAt: new Date(Date.now() - 60_000) })
      .where(eq(tasks.id, failed.task.id));
    await db
      .update(runs)
      .set({ status: "failed", error: "The tests still fail." })
      .where(eq(runs.id, failed.run.id));
    const review = await insertRun(dev);
    await db
      .update(tasks)
      .set({ status: "in_review", reviewerId: admin.userId, updatedAt: new Date(Date.now() - 30_000) })
      .where(eq(tasks.id, review.task.id));
    const risky = await insertRun(admin);
    await waitForApproval(risky.run, "toolu_1", "rm -rf build");
    // Answered already: not waiting on anyone any more.
    const answered = await insertRun(admin);
    await waitForApproval(answered.run, "toolu_2", "rm -rf dist");
    await decideApproval(admin, answered.run.id, { toolUseId: "toolu_2", approved: true });

    const adminInbox = await listInbox(admin);
    expect(adminInbox.map((i) => [i.kind, i.taskNumber])).toEqual([
      ["review", review.task.number],
      ["approval", risky.task.number],
    ]);
    expect(adminInbox[1]).toMatchObject({
      runId: risky.run.id,
      toolUseId: "toolu_1",
      command: "rm -rf build",
    });

    const devInbox = await listInbox(dev);
    expect(devInbox.map((i) => [i.kind, i.taskNumber])).toEqual([
      ["failed", failed.task.number],
      ["approval", risky.task.number],
    ]);
    expect(devInbox[0]).toMatchObject({ runId: failed.run.id, error: "The tests still fail." });

    // A viewer may not answer approvals and has nothing assigned: an empty inbox.
    expect(await listInbox(viewer)).toEqual([]);
    expect(await listInbox(await otherTeamMember())).toEqual([]);

    // Answering the approval, re-running the failed task: both leave the inboxes.
    await decideApproval(dev, risky.run.id, { toolUseId: "toolu_1", approved: false });
    await db.update(tasks).set({ status: "queued" }).where(eq(tasks.id, failed.task.id));
    expect((await listInbox(dev)).map((i) => i.kind)).toEqual([]);
    expect((await listInbox(admin)).map((i) => i.kind)).toEqual(["review"]);
  });

  it("lists the tasks where the agent stopped short to whoever assigned or reviews them, with the agent's reason", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const viewer = await teamMember("viewer");
    const db = await getDb();
    const asked = await insertRun(dev);
    await db
      .update(tasks)
      .set({ status: "needs_human", reviewerId: admin.userId })
      .where(eq(tasks.id, asked.task.id));
    await db
      .update(runs)
      .set({ status: "succeeded", outcome: "needs_input", outcomeReason: "Which database should I use?" })
      .where(eq(runs.id, asked.run.id));
    const expected = {
      kind: "needs_human",
      taskNumber: asked.task.number,
      runId: asked.run.id,
      outcome: "needs_input",
      reason: "Which database should I use?",
    };
    expect((await listInbox(dev)).find((i) => i.taskId === asked.task.id)).toMatchObject(expected);
    expect((await listInbox(admin)).find((i) => i.taskId === asked.task.id)).toMatchObject(expected);
    // Nobody else's, and never a viewer's (they can't answer).
    expect((await listInbox(viewer)).find((i) => i.taskId === asked.task.id)).toBeUndefined();
    // A run waiting on a risky command also puts its task in Needs a human: it shows once, as the approval.
    const risky = await insertRun(dev);
    await db.update(tasks).set({ status: "needs_human" }).where(eq(tasks.id, risky.task.id));
    await waitForApproval(risky.run, "toolu_9", "rm -rf out");
    expect((await listInbox(dev)).filter((i) => i.taskId === risky.task.id).map((i) => i.kind)).toEqual([
      "approval",
    ]);
    // Answered (the follow-up is queued): it leaves the inbox.
    await db.update(tasks).set({ status: "queued" }).where(eq(tasks.id, asked.task.id));
    expect((await listInbox(dev)).find((i) => i.taskId === asked.task.id)).toBeUndefined();
  });

  it("names every agent working on a task, in the order they were assigned", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const first = await insertRun(admin, { agent: { name: "Alpha" } });
    const db = await getDb();
    const [beta] = await db
      .insert(agents)
      .values({ teamId: admin.teamId, name: "Beta", model: "claude-haiku-4-5" })
      .returning();
    const pair = await createTask(dev, {
      title: "Two agents",
      prompt: "p",
      repoId: first.repo.id,
      agentId: first.agent.id,
      alsoAgentIds: [beta?.id ?? ""],
      reviewerId: admin.userId,
    });
    await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, pair.task.id));
    const item = (await listInbox(admin)).find((i) => i.taskId === pair.task.id);
    expect(item).toMatchObject({
      kind: "review",
      taskNumber: pair.task.number,
      agentNames: ["Alpha", "Beta"],
    });
  });
});
