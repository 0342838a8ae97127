// The judge through the real SDK and the fake Messages API, on real git and the real database: it reads
// the attempts in a read-only sandbox, must answer with a valid ranking, is not an attempt (the task's
// status, attempts and agents' metrics leave it out), and the promotion is measured against its first pick.
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as judgeRoute from "@/app/api/v1/tasks/[id]/judge/route";
import { getDb } from "@/db";
import { agents, judgings, runEvents, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { executeRun } from "@/lib/engine/execute-run";
import { createModelClient } from "@/lib/engine/model-client";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { parallelWork } from "@/lib/metrics/parallel-work";
import { getMetrics } from "@/lib/metrics/service";
import { claimRun } from "@/lib/queue/claim";
import { finishAttempts, twoAttempts } from "@/lib/testing/compare-fixtures";
import { fakeText, fakeToolUse, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { askJudge } from "./judge";
import { promoteAttempt } from "./promote";
import { getCompare } from "./queries";

const repos = makeTestRepos();
const fake = await startFakeAnthropic();
const client = createModelClient({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
afterAll(async () => {
  await fake.close();
  repos.cleanup();
});

async function judgeAgent(actor: Actor) {
  const db = await getDb();
  const [agent] = await db
    .insert(agents)
    .values({
      teamId: actor.teamId,
      name: `Judge ${Math.random().toString(36).slice(2, 6)}`,
      model: "claude-sonnet-5-5",
    })
    .returning();
  if (!agent) throw new Error("fixture insert failed");
  return agent;
}

/** Claims the judge's run (the only queued one) and executes it to its end, as a worker does. */
async function work(runId: string) {
  const claimed = await claimRun("judge-worker");
  expect(claimed?.id).toBe(runId);
  if (!claimed) throw new Error("nothing to claim");
  await executeRun(claimed, { workerId: "judge-worker", client });
  const db = await getDb();
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  const events = await db.select().from(runEvents).where(eq(runEvents.runId, runId)).orderBy(runEvents.seq);
  return { run, events };
}

async function callJudgeRoute(actor: Actor, taskId: string, body: unknown) {
  const { token } = await createApiToken(actor, { name: "judge" });
  const response = await judgeRoute.POST(
    new Request("http://localhost/api/v1/tasks/x/judge", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: taskId }) as Promise<never> },
  );
  return { status: response.status, body: await response.json() };
}

describe("the judge", { timeout: 120_000 }, () => {
  it("reads the attempts read-only, ranks them with reasons, and the promotion is measured against its pick", async () => {
    const t = await twoAttempts(repos.work);
    await finishAttempts(t);
    const judge = await judgeAgent(t.admin);
    const viewer = await teamMember("viewer");
    const db = await getDb();

    // Who may ask, and what is refused, before any run is queued.
    await expect(askJudge(viewer, t.task.id, { agentId: judge.id })).rejects.toThrow(/viewer/);
    const missing = await callJudgeRoute(t.admin, t.task.id, {});
    expect(missing).toMatchObject({ status: 400, body: { error: { field: "agentId" } } });
    const stranger = await callJudgeRoute(t.admin, t.task.id, { agentId: crypto.randomUUID() });
    expect(stranger.status).toBe(400);

    // 1. A judge that never answers with a ranking is reminded, then its run fails; nothing is ranked.
    const asked = await callJudgeRoute(t.admin, t.task.id, { agentId: judge.id });
    expect(asked.status).toBe(202);
    const again = await callJudgeRoute(t.admin, t.task.id, { agentId: judge.id });
    expect(again).toMatchObject({ status: 409, body: { error: { message: /already ranking/ } } });
    fake.enqueue(fakeText("Both look fine."), fakeText("Really, both."), fakeText("I won't rank."));
    const silent = await work(asked.body.runId);
    expect(silent.run).toMatchObject({ kind: "judge", status: "failed", stopReason: "no_ranking" });
    expect(silent.events.filter((e) => e.type === "user_message").map((e) => e.payload.kind)).toEqual([
      "task",
      "rule_reminder",
      "rule_reminder",
    ]);

    // 2. A judge that reads the attempts, tries to write (refused: read-only), gets its ranking wrong once,
    // then ranks both.
    const { run: queued } = await askJudge(t.admin, t.task.id, { agentId: judge.id });
    expect(queued).toMatchObject({ kind: "judge", branch: "", status: "queued" });
    const before = fake.requests.length;
    fake.enqueue(
      fakeToolUse("bash", {
        command: "git branch --list 'attempt-*' && git diff --stat HEAD...attempt-1 && touch written.txt",
      }),
      fakeToolUse("rank_attempts", { ranking: [{ attempt: 1, reasons: "Passes." }], summary: "One." }),
      fakeToolUse("rank_attempts", {
        ranking: [
          { attempt: 1, reasons: "Its tests pass and it adds the file asked for." },
          { attempt: 2, reasons: "Its tests fail." },
        ],
        summary: "Attempt 1 is correct and tested; attempt 2 fails its tests.",
      }),
    );
    const judged = await work(queued.id);
    const request = fake.requests[before]?.body;
    // Its tools are bash and rank_attempts only, and it is told the task and every attempt's facts and diff.
    expect(request.tools.map((tool: { name: string }) => tool.name)).toEqual(["bash", "rank_attempts"]);
    expect(JSON.stringify(request.system)).toContain("read-only");
    const prompt = JSON.stringify(request.messages[0].content);
    expect(prompt).toContain("Attempt 1: branch attempt-1");
    expect(prompt).toContain("the test command passed");
    expect(prompt).toContain("the test command failed (exit 1)");
    expect(prompt).toContain("+hello from claude");
    expect(prompt).toContain("+hello from gemini");

    const results = judged.events.filter((e) => e.type === "tool_result").map((e) => e.payload);
    expect(results[0]?.content).toContain("attempt-1");
    expect(results[0]?.content).toContain("attempt-2");
    expect(results[0]?.content).toMatch(/Read-only file system/);
    expect(results[1]).toMatchObject({
      isError: true,
      content: expect.stringContaining("attempt 2 is missing"),
    });
    expect(results[2]).toMatchObject({ isError: false });
    expect(judged.run).toMatchObject({ status: "succeeded", stopReason: "ranked", outcome: null });
    expect(judged.run?.costUsd).toBeGreaterThan(0);
    const sandbox = judged.events.find((e) => e.type === "sandbox")?.payload;
    expect(sandbox).toMatchObject({ network: "none" });

    const [judging] = await db.select().from(judgings).where(eq(judgings.runId, queued.id));
    expect(judging?.ranking).toEqual([
      { index: 1, branch: t.claude.branch, reasons: "Its tests pass and it adds the file asked for." },
      { index: 2, branch: t.gemini.branch, reasons: "Its tests fail." },
    ]);
    expect(judging?.firstPickBranch).toBe(t.claude.branch);

    // Not an attempt: the task is still in review with its two attempts; nothing was pushed.
    const [task] = await db.select().from(tasks).where(eq(tasks.id, t.task.id));
    expect(task?.status).toBe("in_review");
    const compare = await getCompare(viewer, t.task.id);
    expect(compare.attempts.map((a) => a.branch)).toEqual([t.claude.branch, t.gemini.branch]);
    expect(compare.judge).toMatchObject({
      runId: queued.id,
      agentName: judge.name,
      status: "succeeded",
      summary: "Attempt 1 is correct and tested; attempt 2 fails its tests.",
      movedSince: [],
      count: 2,
    });
    const branches = git(repos.work, "branch", "--format=%(refname:short)").trim().split("\n").sort();
    expect(branches).toEqual(["dev", "main", t.claude.branch, t.gemini.branch].sort());

    // The reviewer promotes the judge's first pick: recorded, and counted in the metrics apart.
    await promoteAttempt(t.admin, t.task.id, { runId: t.claude.id });
    const [promoted] = await db.select().from(tasks).where(eq(tasks.id, t.task.id));
    expect(promoted?.promotedJudgePick).toBe(true);
    const now = Date.now();
    const work2 = await parallelWork(t.admin.teamId, new Date(now - 3_600_000), new Date(now + 60_000));
    const judgeRuns = await db
      .select({ cost: runs.costUsd })
      .from(runs)
      .where(and(eq(runs.taskId, t.task.id), eq(runs.kind, "judge")));
    expect(work2).toMatchObject({ judgedPromotions: 1, judgeFirstPickPromoted: 1, judgeRuns: 2 });
    expect(work2.judgeSpendUsd).toBeCloseTo(
      judgeRuns.reduce((sum, r) => sum + r.cost, 0),
      6,
    );
    // Apart: the team's runs and spend are the two attempts' alone.
    const { total } = await getMetrics(t.admin, { range: "7d" });
    expect([total.runs, total.spend]).toEqual([2, 0.5123]);
    // Promoted: there is nothing left to judge.
    await expect(askJudge(t.admin, t.task.id, { agentId: judge.id })).rejects.toThrow(/promoted/);
  });
});
