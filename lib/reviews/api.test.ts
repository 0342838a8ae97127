// The review endpoints of the REST API, called with real Requests and real tokens, on real git.
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as diffRoute from "@/app/api/v1/runs/[id]/diff/route";
import * as approveRoute from "@/app/api/v1/tasks/[id]/approve/route";
import * as discardRoute from "@/app/api/v1/tasks/[id]/discard/route";
import * as mergeRoute from "@/app/api/v1/tasks/[id]/merge/route";
import * as requestChangesRoute from "@/app/api/v1/tasks/[id]/request-changes/route";
import { getDb } from "@/db";
import { auditEvents, runEvents, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { pushBranch } from "@/lib/git/clone";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "@/lib/git/run-repo";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { addComment, listComments } from "@/lib/reviews/comments";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function call(handler: Handler, token: string, id: string, body?: unknown) {
  const request = new Request("http://localhost/api/v1/x", {
    method: body === undefined && handler === (diffRoute.GET as Handler) ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve({ id }) as Promise<never> });
  return { status: response.status, body: await response.json() };
}
const tokenFor = async (actor: Actor) => (await createApiToken(actor, { name: "review" })).token;

async function reviewedTask(assigner: Actor, files: Record<string, string>) {
  const fixture = await insertRun(assigner, { source: repos.bareUrl });
  const repo = { id: fixture.repo.id, source: repos.bareUrl };
  const wt = await prepareRunRepo({
    repo,
    runId: fixture.run.id,
    branch: fixture.run.branch,
    baseBranch: "main",
  });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(wt.workTree, name), text);
  const commit = await checkpointCommit(wt, { message: "Step 1", authorName: "A", authorEmail: "a@x" });
  await pushBranch(repo, fixture.run.branch);
  await removeRunRepo(fixture.run.id);
  const db = await getDb();
  await db.insert(runEvents).values({
    runId: fixture.run.id,
    seq: 1,
    teamId: assigner.teamId,
    type: "checkpoint",
    payload: { step: 1, ...commit },
  });
  await db.update(runs).set({ status: "succeeded", lastSeq: 1 }).where(eq(runs.id, fixture.run.id));
  await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, fixture.task.id));
  return fixture;
}

// Real git and several services per test: generous on a loaded CI machine.
describe("review REST API", { timeout: 120_000 }, () => {
  it("diff, request changes, approve, merge through the API, audited as api", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    const token = await tokenFor(developer);
    const { task, run } = await reviewedTask(admin, { "api.txt": "alpha\nbeta\n" });

    const diff = await call(diffRoute.GET as Handler, token, run.id);
    expect(diff.status).toBe(200);
    expect(diff.body.files).toEqual([
      { path: "api.txt", oldPath: null, status: "added", additions: 2, deletions: 0, binary: false },
    ]);
    expect(diff.body.patch).toContain("+alpha\n+beta\n");
    const stranger = await tokenFor(await otherTeamMember());
    expect((await call(diffRoute.GET as Handler, stranger, run.id)).status).toBe(404);

    const requested = await call(requestChangesRoute.POST as Handler, token, task.id, {
      runId: run.id,
      comments: [
        { path: "api.txt", line: 1, body: "Use uppercase." },
        { path: "api.txt", line: 2, side: "new", body: "Add gamma after this." },
      ],
    });
    expect(requested.status).toBe(201);
    expect(requested.body.task.status).toBe("changes_requested");
    expect(requested.body.run).toMatchObject({ status: "queued", taskId: task.id });
    const db = await getDb();
    const [followUp] = await db.select().from(runs).where(eq(runs.id, requested.body.run.id));
    expect(followUp?.prompt).toContain("Use uppercase.");
    expect(followUp?.prompt).toContain("Add gamma after this.");
    const bad = await call(requestChangesRoute.POST as Handler, token, task.id, {
      comments: [{ path: "api.txt", line: 0, body: "x" }],
    });
    expect(bad.status).toBe(400);
    const badSide = await call(requestChangesRoute.POST as Handler, token, task.id, {
      comments: [{ path: "api.txt", line: 1, side: "left", body: "x" }],
    });
    expect(badSide).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    const unknownRun = await call(approveRoute.POST as Handler, token, task.id, {
      runId: crypto.randomUUID(),
    });
    expect(unknownRun.status).toBe(404);

    // The follow-up ends (as the engine would end it) and the task is back in review.
    await db.update(runs).set({ status: "succeeded" }).where(eq(runs.id, requested.body.run.id));
    await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, task.id));
    expect((await call(mergeRoute.POST as Handler, token, task.id)).status).toBe(409); // not approved yet
    const approved = await call(approveRoute.POST as Handler, token, task.id, { runId: run.id });
    expect(approved).toMatchObject({ status: 200, body: { task: { status: "approved" } } });
    const merged = await call(mergeRoute.POST as Handler, token, task.id);
    expect(merged.status).toBe(200);
    expect(merged.body.task).toMatchObject({
      status: "merged",
      mergeSha: git(repos.bare, "rev-parse", "main").trim(),
    });

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, task.id));
    const byApi = audit
      .filter((a) => a.source === "api")
      .map((a) => a.action)
      .sort();
    expect(byApi).toEqual(["task.approved", "task.changes_requested", "task.merged"]);
  });

  it("409 with the conflicting files; viewers get 403; discard closes the task", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const viewerToken = await tokenFor(await teamMember("viewer"));
    const first = await reviewedTask(admin, { "README.md": "# api first\n" });
    const second = await reviewedTask(admin, { "README.md": "# api second\n" });
    for (const handler of [approveRoute.POST, mergeRoute.POST, discardRoute.POST]) {
      const refused = await call(handler as Handler, viewerToken, second.task.id);
      expect(refused.status).toBe(403);
    }
    await call(approveRoute.POST as Handler, token, first.task.id);
    await call(approveRoute.POST as Handler, token, second.task.id);
    expect((await call(mergeRoute.POST as Handler, token, first.task.id)).status).toBe(200);
    const head = git(repos.bare, "rev-parse", "main");
    const conflict = await call(mergeRoute.POST as Handler, token, second.task.id, {});
    expect(conflict).toMatchObject({
      status: 409,
      body: { error: { code: "conflict", files: ["README.md"] } },
    });
    expect(git(repos.bare, "rev-parse", "main")).toBe(head);

    const discarded = await call(discardRoute.POST as Handler, token, second.task.id);
    expect(discarded).toMatchObject({
      status: 200,
      body: { task: { status: "discarded" }, keptBranches: [] },
    });
    expect(git(repos.bare, "branch", "--list", second.run.branch).trim()).toBe("");
  });

  it("request-changes refuses comments outside the diff under review, naming the field, and starts no run", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const { task, run } = await reviewedTask(admin, { "scope.txt": "one\ntwo\n" });
    const db = await getDb();
    const runsBefore = await db.select().from(runs).where(eq(runs.taskId, task.id));
    for (const [comment, field, message] of [
      // README.md is in the repository but this branch didn't change it.
      [{ path: "README.md", line: 1, body: "x" }, "comments.0.path", /README.md isn't in the diff/],
      [{ path: "nope/../../etc/passwd", line: 1, body: "x" }, "comments.0.path", /isn't in the diff/],
      // The branch added scope.txt: it has no "old" side.
      [{ path: "scope.txt", line: 1, side: "old", body: "x" }, "comments.0.path", /isn't in the diff/],
      [
        { path: "scope.txt", line: 3, body: "x" },
        "comments.0.line",
        /line 3 on the new side isn't in the diff/,
      ],
      [
        { path: "scope.txt", line: 1, lineEnd: 2_000_000_000, body: "x" },
        "comments.0.line",
        /lines 1–2000000000 on the new side isn't in the diff under review \(the diff shows 1–2\)/,
      ],
    ] as const) {
      const refused = await call(requestChangesRoute.POST as Handler, token, task.id, {
        runId: run.id,
        comments: [comment],
      });
      expect(refused).toMatchObject({
        status: 400,
        body: { error: { code: "bad_request", field, message: expect.stringMatching(message) } },
      });
    }
    const second = await call(requestChangesRoute.POST as Handler, token, task.id, {
      comments: [
        { path: "scope.txt", line: 2, body: "fine" },
        { path: "other.txt", line: 1, body: "not in the diff" },
      ],
    });
    expect(second).toMatchObject({ status: 400, body: { error: { field: "comments.1.path" } } });
    expect(await db.select().from(runs).where(eq(runs.taskId, task.id))).toHaveLength(runsBefore.length);
    const [unchanged] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(unchanged?.status).toBe("in_review");

    const accepted = await call(requestChangesRoute.POST as Handler, token, task.id, {
      comments: [{ path: "scope.txt", line: 1, lineEnd: 2, body: "Both lines." }],
    });
    expect(accepted.status).toBe(201);
  });

  it("refuses a comment on a line outside every hunk, from the API and the review page, and starts no run", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    // A 30-line file on main; the branch changes line 20 only, so the diff shows lines 17–23.
    const original = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    // Committed on top of main as earlier tests' merges left it.
    const base = path.join(repos.root, "long-base");
    git(repos.root, "clone", "-q", "-b", "main", repos.bare, base);
    fs.writeFileSync(path.join(base, "long.txt"), `${original.join("\n")}\n`);
    git(base, "add", "long.txt");
    git(base, "commit", "-q", "-m", "long file");
    git(base, "push", "-q", "origin", "main");
    const changed = original.map((l, i) => (i === 19 ? "line twenty, changed" : l));
    const { task, run } = await reviewedTask(admin, { "long.txt": `${changed.join("\n")}\n` });
    const db = await getDb();
    const runsBefore = await db.select().from(runs).where(eq(runs.taskId, task.id));

    for (const comment of [
      { path: "long.txt", line: 2, body: "Outside every hunk." },
      { path: "long.txt", line: 20, lineEnd: 25, body: "Runs past the hunk." },
    ]) {
      const refused = await call(requestChangesRoute.POST as Handler, token, task.id, {
        runId: run.id,
        comments: [comment],
      });
      expect(refused).toMatchObject({
        status: 400,
        body: {
          error: {
            code: "bad_request",
            field: "comments.0.line",
            message: expect.stringMatching(/isn't in the diff under review \(the diff shows 17–23\)/),
          },
        },
      });
    }
    // The review page's draft comments follow the same rule.
    await expect(
      addComment(admin, task.id, { path: "long.txt", lineStart: 2, body: "x" }),
    ).rejects.toMatchObject({ code: "bad_request", field: "lineStart" });
    expect(await listComments(admin, task.id)).toHaveLength(0);
    expect(await db.select().from(runs).where(eq(runs.taskId, task.id))).toHaveLength(runsBefore.length);
    expect((await db.select().from(tasks).where(eq(tasks.id, task.id)))[0]?.status).toBe("in_review");

    // A line inside the hunk, on either side (the removed line 20 lives on the old side), is accepted.
    await addComment(admin, task.id, {
      path: "long.txt",
      lineStart: 20,
      side: "old",
      body: "Why change this?",
    });
    const accepted = await call(requestChangesRoute.POST as Handler, token, task.id, {
      comments: [{ path: "long.txt", line: 17, lineEnd: 23, body: "This block." }],
    });
    expect(accepted.status).toBe(201);
  });
});
