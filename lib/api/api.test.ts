// The REST API v1 route handlers, called directly with real Requests, on a fresh database, with real
// tokens from the tokens service: what a curl user gets back, and what the database then holds.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as reposRoute from "@/app/api/v1/repos/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import * as messagesRoute from "@/app/api/v1/runs/[id]/messages/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import { getDb } from "@/db";
import { auditEvents, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { appendRunEvents } from "@/lib/events/append";
import { makeTestRepos } from "@/lib/git/test-repos";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken, revokeApiToken } from "@/lib/tokens/service";

// Every route's handler fits: the params are given as the route expects them.
type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

async function call(
  handler: Handler,
  options: {
    token?: string;
    method?: string;
    path?: string;
    params?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost${options.path ?? "/api/v1/x"}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) as Promise<never> });
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const body = async (response: Response): Promise<any> => response.json();

const tokenFor = async (actor: Actor) => (await createApiToken(actor, { name: "ci" })).token;

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

describe("REST API v1", () => {
  it("creates a repository, an agent and a task with a token, acting as its creator through the API", async () => {
    const developer = await teamMember("developer");
    const token = await tokenFor(developer);

    const repoResponse = await call(reposRoute.POST, {
      token,
      body: { name: "work", source: repos.work, defaultBranch: "main", testCommand: "true" },
    });
    expect(repoResponse.status).toBe(201);
    const { repo } = await body(repoResponse);
    expect(repo).toMatchObject({
      name: "work",
      source: repos.work,
      defaultBranch: "main",
      testCommand: "true",
    });

    const agentResponse = await call(agentsRoute.POST, {
      token,
      body: { name: "Fixer", model: "claude-haiku-4-5", maxSteps: 12, rules: [] },
    });
    expect(agentResponse.status).toBe(201);
    const { agent } = await body(agentResponse);
    expect(agent).toMatchObject({ name: "Fixer", maxSteps: 12, maxCostUsd: 5, rules: [] });
    // Left out, the risky patterns are the ones a new agent gets in the form.
    expect(agent.riskyPatterns).toContain(String.raw`\bgit\s+push\b`);
    expect(agent.sandboxLimits).toEqual({});

    const admin = await teamAdmin();
    const taskResponse = await call(tasksRoute.POST, {
      token,
      body: {
        title: "Fix the test",
        prompt: "Make npm test pass.",
        repoId: repo.id,
        agentId: agent.id,
        reviewerEmail: admin.email.toUpperCase(),
      },
    });
    expect(taskResponse.status).toBe(201);
    const created = await body(taskResponse);
    expect(created.task).toMatchObject({
      title: "Fix the test",
      status: "queued",
      baseBranch: "main",
      assignedBy: developer.userId,
      reviewerId: admin.userId,
    });
    expect(created.run).toMatchObject({ taskId: created.task.id, status: "queued", steps: 0, verify: null });

    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, created.task.id));
    expect(audit).toMatchObject([{ action: "task.assigned", source: "api", actorId: developer.userId }]);

    const listed = await body(await call(tasksRoute.GET, { token, path: "/api/v1/tasks?status=queued" }));
    expect(listed.tasks.map((t: { id: string }) => t.id)).toContain(created.task.id);
    const none = await body(await call(tasksRoute.GET, { token, path: "/api/v1/tasks?status=merged" }));
    expect(none.tasks).toEqual([]);

    const one = await body(await call(taskRoute.GET, { token, params: { id: created.task.id } }));
    expect(one.task.id).toBe(created.task.id);
    expect(one.runs.map((r: { id: string }) => r.id)).toEqual([created.run.id]);
  });

  it("answers 401 without a token or with a revoked one, and 403 to a viewer's token on POST", async () => {
    const noToken = await call(tasksRoute.GET);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await body(noToken)).error).toMatchObject({ code: "unauthorized" });
    expect((await call(tasksRoute.GET, { token: "fm_not-a-real-token" })).status).toBe(401);

    const admin = await teamAdmin();
    const { token, row } = await createApiToken(admin, { name: "soon revoked" });
    expect((await call(tasksRoute.GET, { token })).status).toBe(200);
    await revokeApiToken(admin, row.id);
    expect((await call(tasksRoute.GET, { token })).status).toBe(401);

    const { repo, agent } = await insertRun(admin);
    const viewer = await teamMember("viewer");
    const viewerToken = await tokenFor(viewer);
    const db = await getDb();
    const before = (await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).length;
    const refused = await call(tasksRoute.POST, {
      token: viewerToken,
      body: { title: "T", prompt: "P", repoId: repo.id, agentId: agent.id },
    });
    expect(refused.status).toBe(403);
    expect((await body(refused)).error).toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/viewer/),
    });
    expect((await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).length).toBe(before);
    // Reading is allowed; no other write is.
    expect((await call(tasksRoute.GET, { token: viewerToken })).status).toBe(200);
    const { run } = await insertRun(admin);
    for (const [handler, input] of [
      [reposRoute.POST, { body: { name: "mine", source: repos.work } }],
      [agentsRoute.POST, { body: { name: "mine", model: "claude-haiku-4-5" } }],
      [cancelRoute.POST, { method: "POST", params: { id: run.id } }],
      [messagesRoute.POST, { body: { text: "stop" }, params: { id: run.id } }],
    ] as const) {
      const response = await call(handler, { token: viewerToken, ...input });
      expect(response.status).toBe(403);
    }
    const [untouched] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(untouched).toMatchObject({ status: "queued", lastSeq: 0 });
  });

  it("takes an agent's sandbox limit overrides and gives them back; out of bounds is a 400 on the field", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const response = await call(agentsRoute.POST, {
      token,
      body: { name: "Limited", model: "claude-haiku-4-5", sandboxLimits: { memoryMb: 8192, outputKb: null } },
    });
    expect(response.status).toBe(201);
    const { agent } = await body(response);
    expect(agent.sandboxLimits).toEqual({ memoryMb: 8192 });
    const { agents: listed } = await body(await call(agentsRoute.GET, { token }));
    expect(listed.find((a: { id: string }) => a.id === agent.id).sandboxLimits).toEqual({ memoryMb: 8192 });

    const tooMany = await call(agentsRoute.POST, {
      token,
      body: { name: "Greedy", model: "claude-haiku-4-5", sandboxLimits: { maxProcesses: 1_000_000 } },
    });
    expect(tooMany.status).toBe(400);
    expect((await body(tooMany)).error).toMatchObject({
      code: "bad_request",
      field: "sandboxLimits",
      message: "Processes must be between 8 and 32,768.",
    });
  });

  it("answers 409 when a name is taken", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const first = await call(agentsRoute.POST, { token, body: { name: "Twin", model: "claude-haiku-4-5" } });
    expect(first.status).toBe(201);
    const second = await call(agentsRoute.POST, { token, body: { name: "Twin", model: "claude-haiku-4-5" } });
    expect(second.status).toBe(409);
    expect((await body(second)).error).toMatchObject({ code: "conflict", field: "name" });
  });

  it("refuses malformed bodies with 400, naming the field", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const { repo, agent } = await insertRun(admin);

    const badJson = await call(tasksRoute.POST, { token, body: '{"title": "x",' });
    expect(badJson.status).toBe(400);
    expect((await body(badJson)).error).toMatchObject({ code: "bad_request", message: /isn't valid JSON/ });
    const array = await call(tasksRoute.POST, { token, body: "[1]" });
    expect((await body(array)).error.message).toMatch(/JSON object/);

    const missing = await call(tasksRoute.POST, {
      token,
      body: { prompt: "P", repoId: repo.id, agentId: agent.id },
    });
    expect(missing.status).toBe(400);
    expect((await body(missing)).error).toEqual({
      code: "bad_request",
      message: 'Missing field "title".',
      field: "title",
    });
    const badId = await call(tasksRoute.POST, {
      token,
      body: { title: "T", prompt: "P", repoId: "nope", agentId: agent.id },
    });
    expect((await body(badId)).error).toMatchObject({ field: "repoId" });
    const stranger = await insertRun(await otherTeamMember());
    const theirAgent = await call(tasksRoute.POST, {
      token,
      body: { title: "T", prompt: "P", repoId: repo.id, agentId: stranger.agent.id },
    });
    expect(theirAgent.status).toBe(400);
    expect((await body(theirAgent)).error).toMatchObject({ field: "agentId" });
    const reviewer = await call(tasksRoute.POST, {
      token,
      body: {
        title: "T",
        prompt: "P",
        repoId: repo.id,
        agentId: agent.id,
        reviewerEmail: "nobody@example.com",
      },
    });
    expect((await body(reviewer)).error).toMatchObject({
      field: "reviewerEmail",
      message: /nobody@example.com/,
    });

    // A budget that isn't a number is refused, naming the field; nothing is created.
    const before = (await (await getDb()).select({ id: tasks.id }).from(tasks)).length;
    for (const [field, value, message] of [
      ["maxCostUsd", "ten", "Max cost must be a number."],
      ["maxSteps", true, "Max steps must be a number."],
      ["maxDurationMin", "", "Max duration must be a number, or null for the agent's own."],
    ] as const) {
      const badBudget = await call(tasksRoute.POST, {
        token,
        body: { title: "T", prompt: "P", repoId: repo.id, agentId: agent.id, [field]: value },
      });
      expect(badBudget.status, field).toBe(400);
      expect((await body(badBudget)).error).toMatchObject({ field, message });
    }
    expect((await (await getDb()).select({ id: tasks.id }).from(tasks)).length).toBe(before);
    const badAgent = await call(agentsRoute.POST, {
      token,
      body: { name: "A", model: "m", maxSteps: "lots" },
    });
    expect(badAgent.status).toBe(400);
    expect((await body(badAgent)).error).toMatchObject({
      field: "maxSteps",
      message: "Max steps must be a number.",
    });
    const noSource = await call(reposRoute.POST, { token, body: { name: "r" } });
    expect(noSource.status).toBe(400);
    expect((await body(noSource)).error).toMatchObject({ field: "source" });
    const status = await call(tasksRoute.GET, { token, path: "/api/v1/tasks?status=done" });
    expect(status.status).toBe(400);
    expect((await body(status)).error).toMatchObject({ field: "status", message: /in_review/ });
  });

  it("hides other teams' runs and tasks, and anything that isn't a uuid, behind 404", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const theirs = await insertRun(await otherTeamMember());
    for (const [handler, id] of [
      [runRoute.GET, theirs.run.id],
      [eventsRoute.GET, theirs.run.id],
      [cancelRoute.POST, theirs.run.id],
      [taskRoute.GET, theirs.task.id],
      [runRoute.GET, "not-a-uuid"],
      [taskRoute.GET, "42"],
    ] as const) {
      const response = await call(handler, {
        token,
        params: { id },
        method: handler === cancelRoute.POST ? "POST" : "GET",
      });
      expect(response.status, `${id}`).toBe(404);
      expect((await body(response)).error.code).toBe("not_found");
    }
    const message = await call(messagesRoute.POST, {
      token,
      params: { id: theirs.run.id },
      body: { text: "hi" },
    });
    expect(message.status).toBe(404);
    const db = await getDb();
    const [untouched] = await db.select().from(runs).where(eq(runs.id, theirs.run.id));
    expect(untouched).toMatchObject({ status: "queued", cancelRequestedAt: null, lastSeq: 0 });
  });

  it("shows a run's status, usage, cost and verification", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const { run } = await insertRun(admin);
    const db = await getDb();
    await db
      .update(runs)
      .set({
        status: "succeeded",
        steps: 3,
        costUsd: 0.0042,
        inputTokens: 1200,
        outputTokens: 340,
        cacheWriteTokens: 50,
        cacheReadTokens: 900,
        verifyExitCode: 0,
        verifyOutput: "ok",
      })
      .where(eq(runs.id, run.id));
    const response = await call(runRoute.GET, { token, params: { id: run.id } });
    expect(response.status).toBe(200);
    const shown = (await body(response)).run;
    expect(shown).toMatchObject({
      id: run.id,
      status: "succeeded",
      steps: 3,
      costUsd: 0.0042,
      usage: { inputTokens: 1200, outputTokens: 340, cacheWriteTokens: 50, cacheReadTokens: 900 },
      branch: run.branch,
      verify: { exitCode: 0, output: "ok" },
    });
    expect(shown).not.toHaveProperty("leaseOwner");
  });

  it("steers and cancels a run; a second cancel or a message to an ended run is a 409", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const { run } = await insertRun(admin);
    const empty = await call(messagesRoute.POST, { token, params: { id: run.id }, body: {} });
    expect((await body(empty)).error).toMatchObject({ code: "bad_request", field: "text" });
    const sent = await call(messagesRoute.POST, { token, params: { id: run.id }, body: { text: " go on " } });
    expect(sent.status).toBe(201);
    expect((await body(sent)).message).toMatchObject({ seq: 1, text: "go on" });

    const cancelled = await call(cancelRoute.POST, { token, params: { id: run.id }, method: "POST" });
    expect(cancelled.status).toBe(200);
    expect((await body(cancelled)).run).toMatchObject({ status: "cancelled", stopReason: "cancelled" });
    const again = await call(cancelRoute.POST, { token, params: { id: run.id }, method: "POST" });
    expect(again.status).toBe(409);
    expect((await body(again)).error.code).toBe("conflict");
    const late = await call(messagesRoute.POST, { token, params: { id: run.id }, body: { text: "hello?" } });
    expect(late.status).toBe(409);
    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, run.id));
    expect(audit.map((a) => [a.action, a.source])).toEqual([["run.cancelled", "api"]]);
  });

  it("lists events after a sequence number as JSON", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const { run } = await insertRun(admin);
    const db = await getDb();
    await db.transaction((tx) =>
      appendRunEvents(tx, run, [
        { type: "user_message", payload: { text: "Fix it", kind: "task" } },
        { type: "status_changed", payload: { status: "running" } },
        { type: "retry", payload: { attempt: 1, reason: "overloaded", delayMs: 10 } },
      ]),
    );
    const all = await body(await call(eventsRoute.GET, { token, params: { id: run.id } }));
    expect(all.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(all).toMatchObject({ lastSeq: 3, finished: false });
    const later = await body(
      await call(eventsRoute.GET, {
        token,
        params: { id: run.id },
        path: `/api/v1/runs/${run.id}/events?after=1`,
      }),
    );
    expect(later.events).toMatchObject([
      { seq: 2, type: "status_changed", payload: { status: "running" } },
      { seq: 3, type: "retry" },
    ]);
    expect(typeof later.events[0].createdAt).toBe("string");
  });

  it("streams events over SSE with ids from Last-Event-ID, live, and ends after run_finished", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const { run } = await insertRun(admin);
    const db = await getDb();
    await db.transaction((tx) =>
      appendRunEvents(tx, run, [
        { type: "user_message", payload: { text: "Fix it", kind: "task" } },
        { type: "status_changed", payload: { status: "running" } },
      ]),
    );
    const response = await call(eventsRoute.GET, {
      token,
      params: { id: run.id },
      headers: { accept: "text/event-stream", "last-event-id": "1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = response.text(); // resolves only once the stream ends
    // Stored while the client is connected: delivered live.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await db.transaction(async (tx) => {
      await appendRunEvents(tx, run, [
        { type: "run_finished", payload: { status: "succeeded", stopReason: "end_turn" } },
      ]);
      await tx.update(runs).set({ status: "succeeded" }).where(eq(runs.id, run.id));
    });
    const stream = await text;
    const ids = [...stream.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([2, 3]);
    expect(stream).toContain('"type":"run_finished"');

    // Resuming after the end of a finished run: an empty stream that closes at once.
    const after = await call(eventsRoute.GET, {
      token,
      params: { id: run.id },
      headers: { accept: "text/event-stream", "last-event-id": "3" },
    });
    expect(await after.text()).not.toMatch(/^id:/m);
  });
});
