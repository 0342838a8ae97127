import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { executeRun } from "@/lib/engine/execute-run";
import { AppError } from "@/lib/errors";
import { claimRun } from "@/lib/queue/claim";
import { engineClient } from "@/lib/queue/engine-client";
import { mergeTask } from "@/lib/reviews/merge";
import { approveTask } from "@/lib/reviews/service";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { canResetDemo, resetDemoWorkspace } from "./reset";
import { DEMO_TASK_PROMPT } from "./script";
import { loadDemoWorkspace } from "./workspace";

process.env.FOREMAN_DEMO_TOKEN_MS = "0";

const gitIn = (source: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: source, encoding: "utf8" });
const show = (source: string, spec: string) => gitIn(source, "show", spec);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("resetting the demo", () => {
  it("is offered to admins once the demo fix is merged, and puts the failing test back on main", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    const { repo, agent } = await loadDemoWorkspace(admin);
    expect(await canResetDemo(admin)).toBe(false);
    const { task, run } = await createTask(admin, {
      title: DEMO_TASK_PROMPT,
      prompt: DEMO_TASK_PROMPT,
      repoId: repo.id,
      agentId: agent.id,
    });
    const claimed = await claimRun("demo-worker");
    if (claimed?.id !== run.id) throw new Error("not claimed");
    await executeRun(claimed, { workerId: "demo-worker", client: engineClient });

    // Nothing merged yet: main still has its failing test, there is nothing to reset.
    expect(await canResetDemo(admin)).toBe(false);
    const early = await refusal(resetDemoWorkspace(admin));
    expect(early.status).toBe(409);
    expect(early.message).toMatch(/already as it was loaded/);

    await approveTask(developer, task.id);
    await mergeTask(admin, task.id);
    expect(show(repo.source, "main:src/math.js")).toContain("return a + b;");
    expect(await canResetDemo(admin)).toBe(true);
    expect(await canResetDemo(developer)).toBe(false);
    await expect(resetDemoWorkspace(developer)).rejects.toThrow(/can't do that/);
    expect(show(repo.source, "main:src/math.js")).toContain("return a + b;");

    await resetDemoWorkspace(admin);
    expect(show(repo.source, "main:src/math.js")).toContain("return a - b;");
    const root = gitIn(repo.source, "rev-list", "--max-parents=0", "main").trim();
    expect(gitIn(repo.source, "rev-parse", "main^{tree}")).toBe(
      gitIn(repo.source, "rev-parse", `${root}^{tree}`),
    );
    // History is kept: the merge stays, the reset is a commit on top of it; the checkout follows main.
    expect(gitIn(repo.source, "log", "-1", "--format=%s", "main")).toMatch(/^Reset the demo/);
    expect(gitIn(repo.source, "log", "--format=%s", "main~1")).toContain("Fix the failing test");
    expect(gitIn(repo.source, "status", "--porcelain")).toBe("");
    expect(await canResetDemo(admin)).toBe(false);
    const again = await refusal(resetDemoWorkspace(admin));
    expect(again.message).toMatch(/already as it was loaded/);

    // The demo works from the start again: a new task fixes the failing test on a branch of its own.
    const second = await createTask(admin, {
      title: DEMO_TASK_PROMPT,
      prompt: DEMO_TASK_PROMPT,
      repoId: repo.id,
      agentId: agent.id,
    });
    const next = await claimRun("demo-worker");
    if (next?.id !== second.run.id) throw new Error("not claimed");
    await executeRun(next, { workerId: "demo-worker", client: engineClient });
    expect(show(repo.source, `${second.run.branch}:src/math.js`)).toContain("return a + b;");
  });
});
