import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runEvents, runs, tasks } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { engineClient } from "@/lib/queue/engine-client";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { DEMO_TASK_PROMPT } from "./script";
import { loadDemoWorkspace } from "./workspace";

process.env.FOREMAN_DEMO_TOKEN_MS = "0";

async function summaryOf(runId: string): Promise<string | undefined> {
  const db = await getDb();
  const events = await db.select().from(runEvents).where(eq(runEvents.runId, runId));
  const finished = events.find((e) => e.type === "run_finished");
  return (finished?.payload as { summary?: string } | undefined)?.summary;
}

async function checkpoints(runId: string): Promise<number> {
  const db = await getDb();
  const events = await db.select().from(runEvents).where(eq(runEvents.runId, runId));
  return events.filter((e) => e.type === "checkpoint").length;
}

function branchExists(source: string, branch: string): boolean {
  return execFileSync("git", ["branch", "--list", branch], { cwd: source, encoding: "utf8" }).trim() !== "";
}

async function runToEnd(runId: string) {
  const claimed = await claimRun("demo-worker");
  expect(claimed?.id).toBe(runId);
  if (!claimed) throw new Error("not claimed");
  // The worker's own client factory: the demo agent's model is the offline demo, over the real SDK.
  await executeRun(claimed, { workerId: "demo-worker", client: engineClient });
  const db = await getDb();
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new Error("run vanished");
  return run;
}

describe("the demo workspace", () => {
  it("lets the offline demo agent fix the failing test with real tools, verified by the real test command", async () => {
    const admin = await teamAdmin();
    const { repo, agent } = await loadDemoWorkspace(admin);
    // Loading twice changes nothing.
    expect((await loadDemoWorkspace(admin)).repo.id).toBe(repo.id);
    expect(() => execFileSync("node", ["--test"], { cwd: repo.source, stdio: "pipe" })).toThrow();

    const { task, run } = await createTask(admin, {
      title: "Fix the failing test",
      prompt: DEMO_TASK_PROMPT,
      repoId: repo.id,
      agentId: agent.id,
    });
    const finished = await runToEnd(run.id);
    expect(finished).toMatchObject({
      status: "succeeded",
      verifyExitCode: 0,
      branch: "foreman/1-fix-the-failing-test",
    });
    const db = await getDb();
    expect((await db.select().from(tasks).where(eq(tasks.id, task.id)))[0]?.status).toBe("in_review");
    const fixed = execFileSync("git", ["show", `${finished.branch}:src/math.js`], {
      cwd: repo.source,
      encoding: "utf8",
    });
    expect(fixed).toContain("return a + b;");
    // The person's checkout is untouched; the fix waits on its branch for review.
    expect(
      execFileSync("git", ["show", "main:src/math.js"], { cwd: repo.source, encoding: "utf8" }),
    ).toContain("a - b");
    const events = await db.select().from(runEvents).where(eq(runEvents.runId, run.id));
    const commands = events
      .filter((e) => e.type === "tool_call")
      .map((e) => (e.payload as { input: { command: string } }).input.command);
    expect(commands).toEqual([
      "ls -R src test && cat package.json",
      "node --test",
      "view",
      "str_replace",
      "node --test",
    ]);
    expect(finished.costUsd).toBe(0);
  });

  it("tells the truth about being a demo for any other task", async () => {
    const admin = await teamAdmin();
    const { repo, agent } = await loadDemoWorkspace(admin);
    const { run } = await createTask(admin, {
      title: "Add dark mode",
      prompt: "Add a dark mode",
      repoId: repo.id,
      agentId: agent.id,
    });
    const finished = await runToEnd(run.id);
    expect(await summaryOf(run.id)).toMatch(/offline demo model.*I changed nothing/s);
    expect(await checkpoints(run.id)).toBe(0);
    expect(branchExists(repo.source, finished.branch)).toBe(false);
  });

  it("is for admins only", async () => {
    await expect(loadDemoWorkspace(await teamMember("developer"))).rejects.toThrow(/can't do that/);
  });
});
