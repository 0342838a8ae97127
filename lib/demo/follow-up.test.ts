// The demo's follow-up runs, on the real engine and the real SDK over the demo model: they read the
// review, make a real matching change when they can, and otherwise say plainly that they can't — and what
// they say at the end is what their tools actually did.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runEvents, runs } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { engineClient } from "@/lib/queue/engine-client";
import { addComment } from "@/lib/reviews/comments";
import { requestChanges } from "@/lib/reviews/service";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { DEMO_TASK_PROMPT } from "./script";
import { loadDemoWorkspace } from "./workspace";

process.env.FOREMAN_DEMO_TOKEN_MS = "0";

async function runToEnd(runId: string) {
  const claimed = await claimRun("demo-worker");
  expect(claimed?.id).toBe(runId);
  if (!claimed) throw new Error("not claimed");
  await executeRun(claimed, { workerId: "demo-worker", client: engineClient });
  const db = await getDb();
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new Error("run vanished");
  const events = await db
    .select()
    .from(runEvents)
    .where(eq(runEvents.runId, runId))
    .orderBy(asc(runEvents.seq));
  const finished = events.find((e) => e.type === "run_finished")?.payload as { summary?: string } | undefined;
  return {
    run,
    summary: finished?.summary ?? "",
    commands: events
      .filter((e) => e.type === "tool_call")
      .map((e) => {
        const input = (e.payload as { input: { command: string } }).input;
        return input.command;
      }),
    checkpoints: events.filter((e) => e.type === "checkpoint").length,
  };
}

/** The demo task, fixed by its first run and waiting for review; the repository's source folder. */
async function fixedDemoTask(admin: Actor, prepare?: (source: string) => void) {
  const { repo, agent } = await loadDemoWorkspace(admin);
  prepare?.(repo.source);
  const { task, run } = await createTask(admin, {
    title: DEMO_TASK_PROMPT,
    prompt: DEMO_TASK_PROMPT,
    repoId: repo.id,
    agentId: agent.id,
  });
  const first = await runToEnd(run.id);
  return { repo, task, first };
}

const git = (source: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: source, encoding: "utf8" }).trim();

describe("the demo's follow-up runs", () => {
  it("adds a real test for negative numbers when the review asks for one, and runs the tests", async () => {
    const admin = await teamAdmin();
    const { repo, task, first } = await fixedDemoTask(admin);
    const head = git(repo.source, "rev-parse", first.run.branch);
    const reviewer = await teamMember("developer");
    await addComment(reviewer, task.id, {
      path: "src/math.js",
      lineStart: 2,
      body: "Please add a test for negative numbers.",
    });
    const { run } = await requestChanges(reviewer, task.id);

    const followUp = await runToEnd(run.id);
    expect(followUp.commands).toEqual(["view", "insert", "node --test"]);
    expect(followUp.run.verifyExitCode).toBe(0);
    expect(followUp.summary).toMatch(/Added the test `add handles negative numbers`.*passes/);
    expect(followUp.summary).not.toMatch(/Fixed the failing test/);
    // A real change on the same branch, on top of the first run's fix.
    const diff = git(repo.source, "diff", head, first.run.branch, "--", "test/math.test.js");
    expect(diff).toContain('+test("add handles negative numbers", () => {');
    expect(diff).toContain("+  assert.equal(add(-2, -3), -5);");
    expect(git(repo.source, "show", `${first.run.branch}:src/math.js`)).toContain("return a + b;");
  });

  it("renames a function everywhere when asked, and the tests still pass", async () => {
    const admin = await teamAdmin();
    const { repo, task, first } = await fixedDemoTask(admin);
    const reviewer = await teamMember("developer");
    const { run } = await requestChanges(reviewer, task.id, { body: "Rename `add` to `sum`, please." });

    const followUp = await runToEnd(run.id);
    expect(followUp.run.verifyExitCode).toBe(0);
    expect(followUp.summary).toMatch(/Renamed `add` to `sum` in 2 files\. `node --test` passes\./);
    const math = git(repo.source, "show", `${first.run.branch}:src/math.js`);
    expect(math).toContain("export function sum(a, b)");
    expect(math).not.toMatch(/\badd\b/);
    expect(git(repo.source, "show", `${first.run.branch}:test/math.test.js`)).toContain(
      'import { sum, multiply } from "../src/math.js";',
    );
  });

  it("says plainly that it can't do anything else, and changes nothing", async () => {
    const admin = await teamAdmin();
    const { repo, task, first } = await fixedDemoTask(admin);
    const head = git(repo.source, "rev-parse", first.run.branch);
    const reviewer = await teamMember("developer");
    const { run } = await requestChanges(reviewer, task.id, {
      body: "Please also support dividing by zero gracefully and document it in the README.",
    });

    const followUp = await runToEnd(run.id);
    expect(followUp.commands).toEqual([]);
    expect(followUp.checkpoints).toBe(0);
    expect(followUp.summary).toMatch(/offline demo model, so I can't do what this review asks/);
    expect(followUp.summary).toContain("dividing by zero gracefully");
    expect(followUp.summary).toContain("I made no changes");
    expect(followUp.summary).not.toMatch(/Fixed/);
    expect(git(repo.source, "rev-parse", first.run.branch)).toBe(head);
  });

  it("never claims a fix its failed edit didn't make", async () => {
    const admin = await teamAdmin();
    // A second `return a - b;` makes the demo's str_replace ambiguous: the editor refuses it.
    const { repo, first } = await fixedDemoTask(admin, (source) => {
      fs.appendFileSync(
        path.join(source, "src/math.js"),
        "\nexport function subtract(a, b) {\n  return a - b;\n}\n",
      );
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "subtract"], {
        cwd: source,
      });
    });
    expect(first.commands).toEqual([
      "ls -R src test && cat package.json",
      "node --test",
      "view",
      "str_replace",
    ]);
    expect(first.summary).toMatch(/^My edit of `src\/math.js` failed \(.+\), so I changed nothing\.$/);
    expect(first.summary).not.toMatch(/Fixed/);
    expect(first.checkpoints).toBe(0);
    expect(git(repo.source, "branch", "--list", first.run.branch)).toBe("");
  });
});
