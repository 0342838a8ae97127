// A task assigned to two agents: two runs queued in one statement (1 ms apart), each on its own branch.
// Review reads, comments, approves and merges one agent's branch at a time, on real git and the real db.
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, auditEvents, repositories, reviews, runs, tasks } from "@/db/schema";
import { RunStore } from "@/lib/engine/run-store";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { commitStep, endRun } from "@/lib/testing/review-fixtures";
import { addComment } from "./comments";
import { mergeTask } from "./merge";
import { getReview, lineProvenance, runDiff } from "./queries";
import { approveTask, requestChanges } from "./service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());
const out = (...args: string[]) => git(repos.work, ...args).trim();

/** Assigned to Claude and Gemini at once; each agent's run writes its own file on its own branch. */
async function twoAgentTask(mergeStrategy: "merge" | "squash" = "merge") {
  const admin = await teamAdmin();
  const db = await getDb();
  const suffix = Math.random().toString(36).slice(2, 8);
  const [repo] = await db
    .insert(repositories)
    .values({
      teamId: admin.teamId,
      name: `two-${suffix}`,
      source: repos.work,
      defaultBranch: "main",
      mergeStrategy,
    })
    .returning();
  const made = await db
    .insert(agents)
    .values([
      { teamId: admin.teamId, name: `Claude ${suffix}`, model: "claude-haiku-4-5" },
      { teamId: admin.teamId, name: `Gemini ${suffix}`, model: "claude-haiku-4-5" },
    ])
    .returning();
  const claude = made.find((a) => a.name.startsWith("Claude"));
  const gemini = made.find((a) => a.name.startsWith("Gemini"));
  if (!repo || !claude || !gemini) throw new Error("fixture insert failed");
  const { task, runs: [first, second] = [] } = await createTask(admin, {
    title: `Two agents ${suffix}`,
    prompt: "Write your name into a file.",
    repoId: repo.id,
    agentId: claude.id,
    alsoAgentIds: [gemini.id],
  });
  if (!first || !second) throw new Error("two runs expected");
  expect(second.queuedAt.getTime()).toBeGreaterThan(first.queuedAt.getTime());
  expect(first.branch).not.toBe(second.branch);
  const source = { id: repo.id, source: repos.work };
  const heads = {
    claude: await commitStep(source, first, { files: { [`claude-${suffix}.txt`]: "by claude\n" } }),
    gemini: await commitStep(source, second, { files: { [`gemini-${suffix}.txt`]: "by gemini\n" } }),
  };
  await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, task.id));
  return { admin, task, repo: source, claude: first, gemini: second, heads, suffix };
}

async function taskRow(taskId: string) {
  const db = await getDb();
  const [row] = await db.select().from(tasks).where(eq(tasks.id, taskId));
  return row;
}

const paths = (diff: { files: { path: string }[] } | null) => diff?.files.map((f) => f.path) ?? [];

// Real git, several branches per test: generous on a loaded CI machine.
describe("a task assigned to several agents", { timeout: 120_000 }, () => {
  it("shows each agent's branch on its own: diff, comments, provenance; the latest finished by default", async () => {
    const t = await twoAgentTask();
    await endRun(t.claude.id, { finishedAt: new Date(Date.now() - 60_000) });
    await endRun(t.gemini.id);
    const reviewer = await teamMember("developer");

    // Gemini finished last: the page opens on its branch, and offers both.
    const page = await getReview(reviewer, t.task.id);
    expect(page.branch).toBe(t.gemini.branch);
    expect(page.lines.map((l) => l.branch)).toEqual([t.claude.branch, t.gemini.branch]);
    expect(paths(page.diff)).toEqual([`gemini-${t.suffix}.txt`]);
    const claudePage = await getReview(reviewer, t.task.id, { runId: t.claude.id });
    expect(claudePage.branch).toBe(t.claude.branch);
    expect(paths(claudePage.diff)).toEqual([`claude-${t.suffix}.txt`]);

    // The REST diff of each run is its own branch's, never the other agent's checkpoint.
    expect(paths(await runDiff(reviewer, t.claude.id))).toEqual([`claude-${t.suffix}.txt`]);
    expect(paths(await runDiff(reviewer, t.gemini.id))).toEqual([`gemini-${t.suffix}.txt`]);
    expect((await runDiff(reviewer, t.claude.id)).toSha).toBe(t.heads.claude);

    // Provenance on each branch names that branch's run.
    for (const [run, name] of [
      [t.claude, "claude"],
      [t.gemini, "gemini"],
    ] as const) {
      const found = await lineProvenance(reviewer, t.task.id, {
        path: `${name}-${t.suffix}.txt`,
        line: 1,
        runId: run.id,
      });
      expect(found).toMatchObject({ runId: run.id, step: 1, sha: t.heads[name] });
    }

    // A comment belongs to the branch it was left on.
    await addComment(
      reviewer,
      t.task.id,
      { path: `claude-${t.suffix}.txt`, lineStart: 1, body: "Capitalise Claude." },
      { runId: t.claude.id },
    );
    await addComment(
      reviewer,
      t.task.id,
      { path: `gemini-${t.suffix}.txt`, lineStart: 1, body: "Capitalise Gemini." },
      { runId: t.gemini.id },
    );
    const claudeComments = (await getReview(reviewer, t.task.id, { runId: t.claude.id })).comments;
    expect(claudeComments.map((c) => c.body)).toEqual(["Capitalise Claude."]);

    // Sending Claude's branch back sends only its comment, as a follow-up on its branch.
    const { run: followUp, comments } = await requestChanges(reviewer, t.task.id, { runId: t.claude.id });
    expect(followUp).toMatchObject({ branch: t.claude.branch, agentId: t.claude.agentId, kind: "follow_up" });
    expect(comments.map((c) => c.body)).toEqual(["Capitalise Claude."]);
    expect(followUp.prompt).not.toContain("Gemini");
    const geminiComments = (await getReview(reviewer, t.task.id, { runId: t.gemini.id })).comments;
    expect(geminiComments.map((c) => [c.body, c.status])).toEqual([["Capitalise Gemini.", "draft"]]);
    // The follow-up is the news now: the page shows Claude's branch.
    expect((await getReview(reviewer, t.task.id)).branch).toBe(t.claude.branch);
  });

  it("approves and merges one branch once every agent has ended, closing the others; provenance survives a squash", async () => {
    const t = await twoAgentTask("squash");
    await endRun(t.claude.id);
    const reviewer = await teamMember("developer");

    // Gemini is still working: no approval, no merge, whichever branch is named.
    for (const runId of [t.claude.id, t.gemini.id]) {
      await expect(approveTask(reviewer, t.task.id, { runId })).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/still working/),
      });
    }
    await endRun(t.gemini.id);

    const approved = await approveTask(reviewer, t.task.id, { runId: t.gemini.id });
    expect(approved.status).toBe("approved");
    const db = await getDb();
    const [review] = await db.select().from(reviews).where(eq(reviews.taskId, t.task.id));
    expect(review?.runId).toBe(t.gemini.id);
    // Merging the branch that wasn't approved is refused; the approved one merges by default.
    await expect(mergeTask(reviewer, t.task.id, { runId: t.claude.id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/approved branch is/),
    });
    const base = out("rev-parse", "main");
    const merged = await mergeTask(reviewer, t.task.id);
    expect(merged).toMatchObject({ status: "merged", closedBranches: [t.claude.branch], keptBranches: [] });
    expect(out("show", `main:gemini-${t.suffix}.txt`)).toBe("by gemini");
    expect(() => out("show", `main:claude-${t.suffix}.txt`)).toThrow();
    expect(out("rev-parse", "main^")).toBe(base); // one squashed commit
    // Both branches are gone from the repository.
    expect(out("branch", "--list", t.claude.branch, t.gemini.branch)).toBe("");
    expect(await taskRow(t.task.id)).toMatchObject({
      status: "merged",
      mergedBranch: t.gemini.branch,
      mergedHeadSha: t.heads.gemini,
    });
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, t.task.id), eq(auditEvents.action, "task.merged")));
    expect(audit?.details).toMatchObject({ branch: t.gemini.branch, closedBranches: [t.claude.branch] });

    // After the squash, the line still traces to the step that wrote it (not to the squash commit).
    expect(
      await lineProvenance(reviewer, t.task.id, { path: `gemini-${t.suffix}.txt`, line: 1 }),
    ).toMatchObject({ runId: t.gemini.id, step: 1, sha: t.heads.gemini });
    const page = await getReview(reviewer, t.task.id);
    expect(page.branch).toBe(t.gemini.branch);
    expect(paths(page.diff)).toEqual([`gemini-${t.suffix}.txt`]);
    const closed = await getReview(reviewer, t.task.id, { runId: t.claude.id });
    expect(closed.diff).toBeNull();
    expect(closed.diffError).toMatch(/closed when .* was merged/);
  });

  it("stays Changes requested through the follow-up run, even when another agent's run ends meanwhile", async () => {
    const t = await twoAgentTask();
    await endRun(t.claude.id);
    const db = await getDb();
    await db
      .update(runs)
      .set({ status: "running", leaseOwner: "worker-gemini" })
      .where(eq(runs.id, t.gemini.id));
    const reviewer = await teamMember("developer");
    const { run: followUp } = await requestChanges(reviewer, t.task.id, {
      runId: t.claude.id,
      comments: [{ path: `claude-${t.suffix}.txt`, lineStart: 1, body: "Say hello." }],
    });
    expect((await taskRow(t.task.id))?.status).toBe("changes_requested");

    // The follow-up starts, waits for a person, resumes: the task stays Changes requested throughout.
    await db
      .update(runs)
      .set({ status: "running", leaseOwner: "worker-follow-up" })
      .where(eq(runs.id, followUp.id));
    const store = new RunStore(followUp, "worker-follow-up");
    await store.recordStart({
      workerId: "worker-follow-up",
      resumed: false,
      branch: followUp.branch,
      baseBranch: "main",
      attempt: 1,
    });
    expect((await taskRow(t.task.id))?.status).toBe("changes_requested");
    await store.setStatus("waiting_approval");
    expect((await taskRow(t.task.id))?.status).toBe("changes_requested");
    await store.setStatus("running");
    expect((await taskRow(t.task.id))?.status).toBe("changes_requested");

    // Gemini's first run ends meanwhile: Claude's follow-up still runs, so nothing changes.
    await new RunStore(t.gemini, "worker-gemini").finish("succeeded", {
      stopReason: "end_turn",
      outcome: "changes_ready",
      reason: null,
    });
    expect((await taskRow(t.task.id))?.status).toBe("changes_requested");

    // The follow-up ends: back in review.
    await store.finish("succeeded", { stopReason: "end_turn", outcome: "changes_ready", reason: null });
    expect((await taskRow(t.task.id))?.status).toBe("in_review");
  });
});
