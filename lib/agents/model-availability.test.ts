import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import { getDb } from "@/db";
import { agents, tasks } from "@/db/schema";
import { loadDemoWorkspace } from "@/lib/demo/workspace";
import { executeRun } from "@/lib/engine/execute-run";
import { AppError } from "@/lib/errors";
import { claimRun } from "@/lib/queue/claim";
import { engineClient } from "@/lib/queue/engine-client";
import { runAgain } from "@/lib/runs/run-again";
import { cancelRun } from "@/lib/runs/service";
import { createTask } from "@/lib/tasks/service";
import { engineSetup } from "@/lib/testing/engine-harness";
import { teamAdmin } from "@/lib/testing/fixtures";
import { createApiToken } from "@/lib/tokens/service";

process.env.FOREMAN_DEMO_TOKEN_MS = "0";
const configuredKey = process.env.ANTHROPIC_API_KEY;
beforeEach(() => {
  delete process.env.ANTHROPIC_API_KEY;
});
afterEach(() => {
  process.env.ANTHROPIC_API_KEY = configuredKey;
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("with no ANTHROPIC_API_KEY", () => {
  it("refuses to assign an agent on a real model (409 naming the key), and still assigns the demo agent", async () => {
    const admin = await teamAdmin();
    const { repo, agent: demo } = await loadDemoWorkspace(admin);
    const db = await getDb();
    const [haiku] = await db
      .insert(agents)
      .values({ teamId: admin.teamId, name: "Haiku", model: "claude-haiku-5-5" })
      .returning();
    if (!haiku) throw new Error("no agent");

    const error = await refusal(
      createTask(admin, {
        title: "Add dark mode",
        prompt: "Add a dark mode",
        repoId: repo.id,
        agentId: haiku.id,
      }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/"Haiku" runs on claude-haiku-5-5.*ANTHROPIC_API_KEY/);
    // The same for a second agent of a multi-agent assignment: nothing is queued for anyone.
    const both = await refusal(
      createTask(admin, {
        title: "Fix it",
        prompt: "Fix the failing test",
        repoId: repo.id,
        agentId: demo.id,
        alsoAgentIds: [haiku.id],
      }),
    );
    expect(both.status).toBe(409);
    // The REST API answers the same 409, as JSON naming the key.
    const { token } = await createApiToken(admin, { name: "ci" });
    const response = await tasksRoute.POST(
      new Request("http://localhost/api/v1/tasks", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          title: "Add dark mode",
          prompt: "Add it",
          repoId: repo.id,
          agentId: haiku.id,
        }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/ANTHROPIC_API_KEY/);
    expect(await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).toHaveLength(0);

    const { run } = await createTask(admin, {
      title: "Fix the failing test",
      prompt: "Fix the failing test",
      repoId: repo.id,
      agentId: demo.id,
    });
    expect(run.model).toBe("foreman-demo");
    await cancelRun(admin, run.id);
  });

  it("fails a run queued before the key was removed at once, naming the key: no model called, nothing charged", async () => {
    process.env.ANTHROPIC_API_KEY = configuredKey;
    const h = await engineSetup({ agent: { model: "claude-haiku-4-5" } });
    delete process.env.ANTHROPIC_API_KEY;

    const claimed = await claimRun("worker-no-key");
    if (!claimed) throw new Error("not claimed");
    await executeRun(claimed, { workerId: "worker-no-key", client: engineClient });

    const run = await h.runRow();
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/ANTHROPIC_API_KEY/);
    expect(run.steps).toBe(0);
    expect(run.costUsd).toBe(0);
    expect(run.inputTokens).toBe(0);
    expect(h.fake.requests).toHaveLength(0);
    const types = (await h.events()).map((e) => e.type);
    expect(types).not.toContain("assistant_message");
    expect(types.at(-1)).toBe("run_finished");
    expect(h.sourceGit("branch", "--list", "foreman/*")).toBe("");

    // Running it again is refused up front, with the same reason.
    const again = await refusal(runAgain(h.admin, { runId: run.id }));
    expect(again.status).toBe(409);
    expect(again.message).toMatch(/ANTHROPIC_API_KEY/);
  });

  it("runs the demo agent on the demo model even when a key is configured, at no cost", async () => {
    process.env.ANTHROPIC_API_KEY = "sk-real-key-never-used";
    expect(engineClient("foreman-demo").apiKey).toBe("foreman-offline-demo");
    expect(engineClient("claude-haiku-5-5").apiKey).toBe("sk-real-key-never-used");
  });
});
