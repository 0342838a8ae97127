// The base branch of a new task must exist in the repository: checked against a real git repository,
// through the service and through the REST API (a 400 naming the field), and nothing is created.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import { getDb } from "@/db";
import { agents, repositories, tasks } from "@/db/schema";
import { makeTestRepos } from "@/lib/git/test-repos";
import { teamMember } from "@/lib/testing/fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { createTask } from "./service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

async function setup() {
  const dev = await teamMember("developer");
  const db = await getDb();
  const suffix = Math.random().toString(36).slice(2, 8);
  const [repo] = await db
    .insert(repositories)
    .values({ teamId: dev.teamId, name: `work-${suffix}`, source: repos.work, defaultBranch: "main" })
    .returning();
  const [agent] = await db
    .insert(agents)
    .values({ teamId: dev.teamId, name: `agent-${suffix}`, model: "claude-haiku-4-5" })
    .returning();
  if (!repo || !agent) throw new Error("fixture insert failed");
  const count = async () => (await db.select().from(tasks).where(eq(tasks.repoId, repo.id))).length;
  return { dev, repo, agent, count, base: { title: "T", prompt: "P", repoId: repo.id, agentId: agent.id } };
}

describe("the base branch of a new task", () => {
  it("may be the default or any branch of the repository", async () => {
    const { dev, base } = await setup();
    expect((await createTask(dev, base)).task.baseBranch).toBe("main");
    expect((await createTask(dev, { ...base, baseBranch: "main" })).task.baseBranch).toBe("main");
    expect((await createTask(dev, { ...base, baseBranch: "dev" })).task.baseBranch).toBe("dev");
  });

  it("is refused when the repository has no such branch, with the field named, and nothing is created", async () => {
    const { dev, repo, base, count } = await setup();
    await expect(createTask(dev, { ...base, baseBranch: "no-such-branch" })).rejects.toMatchObject({
      code: "bad_request",
      field: "baseBranch",
      message: `${repo.name} has no branch named 'no-such-branch'. Choose one from the list.`,
    });
    await expect(createTask(dev, { ...base, baseBranch: "two words" })).rejects.toThrow(
      /isn't a branch name/,
    );
    expect(await count()).toBe(0);
  });

  it("comes back as a 400 naming baseBranch from the REST API", async () => {
    const { dev, repo, base, count } = await setup();
    const { token } = await createApiToken(dev, { name: "ci" });
    const response = await tasksRoute.POST(
      new Request("http://localhost/api/v1/tasks", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...base, baseBranch: "release/9" }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "bad_request",
        field: "baseBranch",
        message: `${repo.name} has no branch named 'release/9'. Choose one from the list.`,
      },
    });
    expect(await count()).toBe(0);
  });
});
