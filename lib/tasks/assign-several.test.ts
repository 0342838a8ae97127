import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, auditEvents, repositories, runs } from "@/db/schema";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { listRepoBranches } from "@/lib/repos/branches";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createTask, listTaskAgents } from "./service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

async function agent(teamId: string, name: string) {
  const db = await getDb();
  const [row] = await db
    .insert(agents)
    .values({ teamId, name, model: "claude-haiku-4-5", maxSteps: 7 })
    .returning();
  if (!row) throw new Error("no agent");
  return row;
}

describe("assign to several agents", () => {
  it("creates one task with one run per agent, each on its own branch, audited once", async () => {
    const admin = await teamAdmin();
    const { repo, agent: first } = await insertRun(admin);
    const second = await agent(admin.teamId, "Claude Opus");
    const third = await agent(admin.teamId, "claude opus"); // same slug: still a distinct branch
    const {
      task,
      run,
      runs: created,
    } = await createTask(admin, {
      title: "Speed up the build",
      prompt: "Make it faster.",
      repoId: repo.id,
      agentId: first.id,
      alsoAgentIds: [second.id, third.id, first.id],
      maxSteps: "12",
    });
    expect(created.map((r) => r.agentId)).toEqual([first.id, second.id, third.id]);
    expect(run.id).toBe(created[0]?.id);
    const db = await getDb();
    const stored = await db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.branch).sort()).toEqual([
      `foreman/${task.number}-speed-up-the-build`,
      `foreman/${task.number}-speed-up-the-build-claude-opus`,
      `foreman/${task.number}-speed-up-the-build-claude-opus-2`,
    ]);
    expect(stored.every((r) => r.status === "queued" && r.maxSteps === 12)).toBe(true);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, task.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ agents: [first.name, "Claude Opus", "claude opus"] });
    // The task page's header names every agent, in the order chosen.
    expect((await listTaskAgents(admin, task)).map((a) => a.name)).toEqual([
      first.name,
      "Claude Opus",
      "claude opus",
    ]);
  });

  it("refuses an agent of another team or a malformed id, at the field, without creating anything", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const { repo, agent: first } = await insertRun(admin);
    const base = { title: "T", prompt: "P", repoId: repo.id, agentId: first.id };
    const db = await getDb();
    const theirs = await agent((await otherTeamMember()).teamId, "Theirs");
    const before = (await db.select().from(runs)).length;
    await expect(createTask(dev, { ...base, alsoAgentIds: [theirs.id] })).rejects.toMatchObject({
      field: "alsoAgentIds",
    });
    await expect(createTask(dev, { ...base, alsoAgentIds: "nope" })).rejects.toThrow(/Choose agents/);
    expect((await db.select().from(runs)).length).toBe(before);
  });

  it("lists base branches from Foreman's clone of the source (real git), default branch first", async () => {
    const admin = await teamAdmin();
    git(repos.work, "branch", "feature/login");
    git(repos.work, "branch", "foreman/9-old-run");
    const db = await getDb();
    const [repo] = await db
      .insert(repositories)
      .values({ teamId: admin.teamId, name: "branchy", source: repos.work, defaultBranch: "main" })
      .returning();
    if (!repo) throw new Error("no repo");
    expect(await listRepoBranches(admin, repo.id)).toEqual(["main", "dev", "feature/login"]);
    // A branch pushed to the source later shows up on the next listing (the clone is fetched).
    git(repos.work, "branch", "release");
    expect(await listRepoBranches(admin, repo.id)).toEqual(["main", "dev", "feature/login", "release"]);
    const [broken] = await db
      .insert(repositories)
      .values({ teamId: admin.teamId, name: "gone", source: `${repos.root}/missing`, defaultBranch: "main" })
      .returning();
    await expect(listRepoBranches(admin, broken?.id ?? "")).rejects.toMatchObject({ field: "baseBranch" });
  });
});
