import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, runs } from "@/db/schema";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { runBranchName } from "./branch-name";
import { createTask, getTask } from "./service";

describe("tasks", () => {
  it("numbers tasks per team, queues a run on its own branch with the agent's budgets, and audits it", async () => {
    const admin = await teamAdmin();
    const { repo, agent } = await insertRun(admin); // task #1 already exists
    const { task, run } = await createTask(admin, {
      title: "Add a CLI flag: --dry-run!",
      prompt: "Add it.",
      repoId: repo.id,
      agentId: agent.id,
      maxCostUsd: "2.5",
    });
    expect(task).toMatchObject({
      number: 2,
      status: "queued",
      baseBranch: repo.defaultBranch,
      assignedBy: admin.userId,
    });
    expect(run).toMatchObject({
      status: "queued",
      branch: "foreman/2-add-a-cli-flag-dry-run",
      maxCostUsd: 2.5,
      maxSteps: agent.maxSteps,
      model: agent.model,
    });
    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, task.id));
    expect(audit.map((a) => a.action)).toEqual(["task.assigned"]);
    expect((await getTask(admin, task.id)).runs.map((r) => r.id)).toEqual([run.id]);
  });

  it("refuses viewers, other teams' repositories and agents, and bad budgets — with the field named", async () => {
    const admin = await teamAdmin();
    const { repo, agent } = await insertRun(admin);
    const viewer = await teamMember("viewer");
    const base = { title: "T", prompt: "P", repoId: repo.id, agentId: agent.id };
    const db = await getDb();
    const before = (await db.select().from(runs).where(eq(runs.teamId, admin.teamId))).length;
    await expect(createTask(viewer, base)).rejects.toThrow(/can't do that/);
    const stranger = await otherTeamMember();
    const theirs = await insertRun(stranger);
    await expect(createTask(admin, { ...base, repoId: theirs.repo.id })).rejects.toMatchObject({
      field: "repoId",
    });
    await expect(createTask(admin, { ...base, agentId: theirs.agent.id })).rejects.toMatchObject({
      field: "agentId",
    });
    await expect(createTask(admin, { ...base, maxCostUsd: "-1" })).rejects.toThrow(/below zero/);
    await expect(getTask(stranger, (await createTask(admin, base)).task.id)).rejects.toMatchObject({
      code: "not_found",
    });
    const after = (await db.select().from(runs).where(eq(runs.teamId, admin.teamId))).length;
    expect(after - before).toBe(1); // only the valid task queued a run
  });

  it("makes readable branch names", () => {
    expect(runBranchName(12, "Fix the failing test")).toBe("foreman/12-fix-the-failing-test");
    expect(runBranchName(3, "Ünïcode ✨ & symbols")).toBe("foreman/3-unicode-symbols");
    expect(runBranchName(4, "!!!")).toBe("foreman/4-task");
  });
});
