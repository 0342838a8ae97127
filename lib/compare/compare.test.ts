// Best-of-N on real git and the real database: two agents' attempts at one task, compared (files, lines,
// the diff between them, the conflicts predicted between them), then one promoted and merged.
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as compareRoute from "@/app/api/v1/tasks/[id]/compare/route";
import * as promoteRoute from "@/app/api/v1/tasks/[id]/promote/route";
import { auditEvents, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { clonePath } from "@/lib/git/clone";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { mergeTask } from "@/lib/reviews/merge";
import { getReview } from "@/lib/reviews/queries";
import { approveTask, requestChanges } from "@/lib/reviews/service";
import { runAgain } from "@/lib/runs/run-again";
import { sweepExpiredArchives } from "@/lib/tasks/archive";
import { finishAttempts, twoAttempts } from "@/lib/testing/compare-fixtures";
import { otherTeamMember, teamMember } from "@/lib/testing/fixtures";
import { endRun } from "@/lib/testing/review-fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { promoteAttempt } from "./promote";
import { diffBetweenAttempts, getCompare } from "./queries";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());
const out = (...args: string[]) => git(repos.work, ...args).trim();
const DAY = 86_400_000;
const archiveRefs = (repoId: string, taskId: string) =>
  git(
    clonePath(repoId),
    "for-each-ref",
    "--format=%(refname) %(objectname)",
    `refs/foreman/archive/task-${taskId}/`,
  ).trim();

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function call(handler: Handler, actor: Actor, id: string, options: { query?: string; body?: unknown }) {
  const { token } = await createApiToken(actor, { name: "compare" });
  const request = new Request(`http://localhost/api/v1/x${options.query ?? ""}`, {
    method: options.body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve({ id }) as Promise<never> });
  return { status: response.status, body: await response.json() };
}

describe("compare attempts", { timeout: 120_000 }, () => {
  it("shows each attempt's facts and diff, the diff between two, and the conflict predicted between them", async () => {
    const t = await twoAttempts(repos.work);
    await finishAttempts(t);
    const viewer = await teamMember("viewer");
    const data = await getCompare(viewer, t.task.id);
    expect(data.attempts.map((a) => [a.index, a.branch, a.agentName, a.model])).toEqual([
      [1, t.claude.branch, `Claude ${t.suffix}`, "claude-haiku-4-5"],
      [2, t.gemini.branch, `Gemini ${t.suffix}`, "claude-sonnet-4-5"],
    ]);
    const [one, two] = data.attempts;
    expect(one).toMatchObject({
      headSha: t.heads.claude,
      additions: 4,
      deletions: 0,
      steps: 3,
      costUsd: 0.0123,
      verification: "passed",
      status: "succeeded",
      closed: false,
    });
    expect(one?.diff?.files.map((f) => f.path).sort()).toEqual([`claude-${t.suffix}.txt`, t.shared]);
    expect(two).toMatchObject({ additions: 2, verification: "failed", verifyExitCode: 1, steps: 5 });
    expect(two?.diff?.patch).toContain("+hello from gemini");
    // Attempts of one task are compared with each other here (the background refresh never does).
    expect(data.overlaps).toEqual([
      { a: t.claude.branch, b: t.gemini.branch, files: [t.shared], conflicts: [t.shared] },
    ]);

    const between = await diffBetweenAttempts(viewer, t.task.id, { a: t.claude.id, b: t.gemini.id });
    expect(between).toMatchObject({ fromSha: t.heads.claude, toSha: t.heads.gemini });
    expect(between.files.map((f) => [f.path, f.status])).toEqual([
      [`claude-${t.suffix}.txt`, "deleted"],
      [t.shared, "modified"],
    ]);
    expect(between.patch).toContain("-hello from claude\n+hello from gemini\n+second line");
    await expect(
      diffBetweenAttempts(viewer, t.task.id, { a: t.claude.id, b: t.claude.id }),
    ).rejects.toMatchObject({ code: "bad_request", field: "b" });
    await expect(
      diffBetweenAttempts(viewer, t.task.id, { a: t.claude.id, b: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(getCompare(await otherTeamMember(), t.task.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("promotes one attempt: refused to viewers and while a run works; closes the others; the promoted one merges", async () => {
    const t = await twoAttempts(repos.work);
    await endRun(t.claude.id);
    await t.db.update(runs).set({ status: "running" }).where(eq(runs.id, t.gemini.id));
    await t.db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, t.task.id));
    const reviewer = await teamMember("developer");
    await expect(
      promoteAttempt(await teamMember("viewer"), t.task.id, { runId: t.claude.id }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(promoteAttempt(reviewer, t.task.id, { runId: t.claude.id })).rejects.toMatchObject({
      code: "conflict",
      status: 409,
      message: expect.stringMatching(/still working/),
    });
    await expect(promoteAttempt(reviewer, t.task.id, {})).rejects.toMatchObject({ code: "bad_request" });
    await endRun(t.gemini.id);

    const promoted = await promoteAttempt(reviewer, t.task.id, { runId: t.gemini.id });
    expect(promoted).toMatchObject({
      branch: t.gemini.branch,
      closedBranches: [t.claude.branch],
      keptBranches: [],
    });
    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, t.task.id));
    expect(row).toMatchObject({
      promotedRunId: t.gemini.id,
      promotedBranch: t.gemini.branch,
      promotedBy: reviewer.userId,
    });
    expect(out("branch", "--list", t.claude.branch)).toBe("");
    expect(out("branch", "--list", t.gemini.branch)).toContain(t.gemini.branch);
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, t.task.id), eq(auditEvents.action, "task.promoted")));
    expect(audit?.details).toMatchObject({ branch: t.gemini.branch, closedBranches: [t.claude.branch] });
    await expect(promoteAttempt(reviewer, t.task.id, { runId: t.claude.id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already promoted/),
    });

    // The review page opens on the promoted attempt; the other is closed and takes no decisions.
    const page = await getReview(reviewer, t.task.id);
    expect(page.branch).toBe(t.gemini.branch);
    expect(page.lines.map((l) => [l.branch, l.promoted, l.closed])).toEqual([
      [t.claude.branch, false, true],
      [t.gemini.branch, true, false],
    ]);
    // Its branch is gone from the source but archived as a discard's is: its diff stays readable,
    // read-only, with the date it is kept until.
    expect(archiveRefs(t.repoId, t.task.id)).toBe(
      `refs/foreman/archive/task-${t.task.id}/${t.claude.branch} ${t.heads.claude}`,
    );
    const closed = await getReview(reviewer, t.task.id, { runId: t.claude.id });
    expect(closed.diffError).toBeNull();
    expect(closed.diff?.files.map((f) => f.path).sort()).toEqual([`claude-${t.suffix}.txt`, t.shared]);
    expect(closed.archived).toMatchObject({ closedBy: t.gemini.branch });
    expect(closed.archived?.keptUntil?.getTime()).toBe(Number(row?.promotedAt?.getTime()) + 30 * DAY);
    await expect(requestChanges(reviewer, t.task.id, { runId: t.claude.id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/closed when/),
    });
    await expect(runAgain(reviewer, { runId: t.claude.id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/closed when/),
    });
    // The compare view still shows the closed attempt, from its last checkpoint.
    const compared = await getCompare(reviewer, t.task.id);
    expect(compared.attempts.map((a) => [a.promoted, a.closed, a.headSha])).toEqual([
      [false, true, t.heads.claude],
      [true, false, t.heads.gemini],
    ]);

    // Approve and merge take the promoted attempt by default.
    await approveTask(reviewer, t.task.id);
    const merged = await mergeTask(reviewer, t.task.id);
    expect(merged.status).toBe("merged");
    expect(out("show", `main:${t.shared}`)).toBe("hello from gemini\nsecond line");
    const after = await getCompare(reviewer, t.task.id);
    expect(after.attempts.map((a) => [a.merged, a.additions])).toEqual([
      [false, 4],
      [true, 2],
    ]);
  });
  it("sweeps a closed attempt's archive once the retention period has passed since the promotion", async () => {
    const t = await twoAttempts(repos.work);
    await finishAttempts(t);
    const reviewer = await teamMember("developer");
    await promoteAttempt(reviewer, t.task.id, { runId: t.gemini.id });
    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, t.task.id));
    const promotedAt = row?.promotedAt as Date;
    await sweepExpiredArchives(new Date(promotedAt.getTime() + 29 * DAY));
    expect(archiveRefs(t.repoId, t.task.id)).not.toBe("");

    const expiredAt = new Date(promotedAt.getTime() + 31 * DAY);
    await sweepExpiredArchives(expiredAt);
    expect(archiveRefs(t.repoId, t.task.id)).toBe("");
    const closed = await getReview(reviewer, t.task.id, { runId: t.claude.id });
    expect(closed.diff).toBeNull();
    expect(closed.diffGone).toBe("The diff has expired");
    expect(closed.diffError).toMatch(/this attempt was closed on .*, when .* was promoted/);
    // The promoted attempt is untouched: still its live branch.
    const promoted = await getReview(reviewer, t.task.id);
    expect(promoted.diff?.files.map((f) => f.path)).toEqual([t.shared]);
  });
  it("promoting another attempt withdraws an approval; a task with one attempt has nothing to promote", async () => {
    const t = await twoAttempts(repos.work);
    await finishAttempts(t);
    const reviewer = await teamMember("developer");
    await approveTask(reviewer, t.task.id, { runId: t.claude.id });
    const { task } = await promoteAttempt(reviewer, t.task.id, { runId: t.gemini.id });
    expect(task).toMatchObject({ status: "in_review", approvedBy: null, promotedBranch: t.gemini.branch });
    // Approving the closed attempt again is refused; the promoted one is approved by default.
    await expect(approveTask(reviewer, t.task.id, { runId: t.claude.id })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(approveTask(reviewer, t.task.id)).resolves.toMatchObject({ status: "approved" });

    const single = await twoAttempts(repos.work);
    await single.db.delete(runs).where(eq(runs.id, single.gemini.id));
    await finishAttempts({ ...single, gemini: single.claude });
    await expect(promoteAttempt(reviewer, single.task.id, { runId: single.claude.id })).rejects.toMatchObject(
      {
        code: "conflict",
        message: expect.stringMatching(/one attempt/),
      },
    );
  });
  it("serves the compare data and promotes through the REST API", async () => {
    const t = await twoAttempts(repos.work);
    await finishAttempts(t);
    const viewer = await teamMember("viewer");
    const compared = await call(compareRoute.GET as Handler, viewer, t.task.id, {
      query: `?a=${t.claude.id}&b=${t.gemini.id}`,
    });
    expect(compared.status).toBe(200);
    expect(compared.body.attempts.map((a: { branch: string }) => a.branch)).toEqual([
      t.claude.branch,
      t.gemini.branch,
    ]);
    expect(compared.body.overlaps[0]).toMatchObject({ conflicts: [t.shared] });
    expect(compared.body.between).toMatchObject({ fromSha: t.heads.claude, toSha: t.heads.gemini });
    const bad = await call(compareRoute.GET as Handler, viewer, t.task.id, { query: `?a=${t.claude.id}` });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "b" } } });

    const refused = await call(promoteRoute.POST as Handler, viewer, t.task.id, {
      body: { runId: t.claude.id },
    });
    expect(refused.status).toBe(403);
    const developer = await teamMember("developer");
    const promoted = await call(promoteRoute.POST as Handler, developer, t.task.id, {
      body: { runId: t.claude.id },
    });
    expect(promoted).toMatchObject({
      status: 200,
      body: {
        branch: t.claude.branch,
        closedBranches: [t.gemini.branch],
        task: { promotedBranch: t.claude.branch },
      },
    });
    const again = await call(promoteRoute.POST as Handler, developer, t.task.id, {
      body: { runId: t.gemini.id },
    });
    expect(again.status).toBe(409);
  });
});
