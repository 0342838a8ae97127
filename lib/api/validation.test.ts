// The tester's findings of issue 12, each as it was reported: malformed URLs, a budget the column can't
// hold, and a cursor past the last event. Every one answered 500 (or a wrong lastSeq) before the fix.
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as repoRoute from "@/app/api/v1/repos/[id]/route";
import * as diffRoute from "@/app/api/v1/runs/[id]/diff/route";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import { getDb } from "@/db";
import { runs, tasks } from "@/db/schema";
import { appendRunEvents } from "@/lib/events/append";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { proxy } from "@/proxy";

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

function request(path: string, options: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, {
    method: options.body === undefined ? "GET" : "POST",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

const send = (handler: Handler, req: Request, params: Promise<unknown> = Promise.resolve({})) =>
  handler(req, { params: params as Promise<never> });

async function adminToken() {
  const admin = await teamAdmin();
  return { admin, token: (await createApiToken(admin, { name: "validation" })).token };
}

describe("malformed URLs", () => {
  it("a param Next can't decode is a JSON 400 from the wrapper, not a 500", async () => {
    const { token } = await adminToken();
    // The way Next fails to decode "%zz": the params promise rejects with a URIError.
    const rejected = () => Promise.reject(new URIError("URI malformed"));
    for (const [handler, path] of [
      [taskRoute.GET, "/api/v1/tasks/%zz"],
      [runRoute.GET, "/api/v1/runs/%E0%A4%A"],
      [runRoute.GET, "/api/v1/runs/%C0%AE%C0%AE"],
    ] as const) {
      const response = await send(handler as Handler, request(path, { token }), rejected());
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "bad_request", message: expect.stringMatching(/percent-escape/) },
      });
    }
    // Handed through undecoded, the raw text is refused as a malformed id, with the param named.
    for (const id of ["%zz", "%E0%A4%A", "%C0%AE%C0%AE", "abc\u0000"]) {
      const response = await send(
        runRoute.GET as Handler,
        request("/api/v1/runs/x", { token }),
        Promise.resolve({ id }),
      );
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "bad_request", field: "id" });
    }
    // A well-formed id that isn't a uuid stays "not found", as before.
    const plain = await send(
      runRoute.GET as Handler,
      request("/api/v1/runs/x", { token }),
      Promise.resolve({ id: "x".repeat(5000) }),
    );
    expect(plain.status).toBe(404);
  });

  it("the proxy answers an undecodable API path with the JSON 400 before Next's router sees it", async () => {
    for (const path of ["/api/v1/tasks/%zz", "/api/v1/runs/%E0%A4%A", "/api/v1/runs/%C0%AE%C0%AE"]) {
      const response = await proxy(new NextRequest(`http://localhost${path}`));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "bad_request" });
    }
    expect((await proxy(new NextRequest("http://localhost/api/v1/tasks/%41"))).status).toBe(200);
  });
});

describe("numbers a column can't hold", () => {
  it("maxCostUsd 1e9 is a 400 naming the field through the API, and the form's service says the same", async () => {
    const { admin, token } = await adminToken();
    const { repo, agent } = await insertRun(admin);
    const db = await getDb();
    const before = (await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).length;
    const base = { title: "Big", prompt: "Spend.", repoId: repo.id, agentId: agent.id };
    for (const [maxCostUsd, message] of [
      [1e9, "Max cost can be at most $100,000."],
      ["1e9", "Max cost can be at most $100,000."],
      ["Infinity", "Max cost must be a number."],
      ["NaN", "Max cost must be a number."],
      [true, "Max cost must be a number."],
    ] as const) {
      const response = await send(
        tasksRoute.POST as Handler,
        request("/api/v1/tasks", { token, body: { ...base, maxCostUsd } }),
      );
      expect(response.status).toBe(400);
      expect((await response.json()).error).toEqual({ code: "bad_request", field: "maxCostUsd", message });
    }
    const steps = await send(
      tasksRoute.POST as Handler,
      request("/api/v1/tasks", { token, body: { ...base, maxSteps: 2 ** 31 } }),
    );
    expect((await steps.json()).error).toMatchObject({ field: "maxSteps" });
    // The task form's action parses with the same schema in the service.
    await expect(createTask(admin, { ...base, maxCostUsd: "1000000000" })).rejects.toThrow(
      "Max cost can be at most $100,000.",
    );
    expect((await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).length).toBe(before);
    const ok = await send(
      tasksRoute.POST as Handler,
      request("/api/v1/tasks", { token, body: { ...base, maxCostUsd: 100_000 } }),
    );
    expect(ok.status).toBe(201);
    const { run } = await ok.json();
    const [stored] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(stored?.maxCostUsd).toBe(100_000);
  });
});

describe("run events cursor", () => {
  it("lastSeq never points past the last stored event; an after the column can't hold is a 400", async () => {
    const { admin, token } = await adminToken();
    const { run } = await insertRun(admin);
    const db = await getDb();
    await db.transaction((tx) =>
      appendRunEvents(
        tx,
        run,
        Array.from({ length: 9 }, (_, i) => ({
          type: "retry" as const,
          payload: { attempt: i + 1, reason: "x", delayMs: 1 },
        })),
      ),
    );
    const page = async (after: string) => {
      const response = await send(
        eventsRoute.GET as Handler,
        request(`/api/v1/runs/${run.id}/events?after=${after}`, { token }),
        Promise.resolve({ id: run.id }),
      );
      return { status: response.status, body: await response.json() };
    };
    expect(await page("10")).toMatchObject({ status: 200, body: { events: [], lastSeq: 9 } });
    expect(await page("9")).toMatchObject({ status: 200, body: { events: [], lastSeq: 9 } });
    expect((await page("7")).body.lastSeq).toBe(9);
    for (const after of ["99999999999", "-1", "1e3", "abc"]) {
      expect(await page(after)).toMatchObject({
        status: 400,
        body: { error: { code: "bad_request", field: "after" } },
      });
    }
  });
});

describe("found by the fuzz suite", () => {
  it("a NUL or an unpaired surrogate in a body is a 400 naming the field, not a database error", async () => {
    const { admin, token } = await adminToken();
    const { repo } = await insertRun(admin);
    const nul = await send(
      agentsRoute.POST as Handler,
      request("/api/v1/agents", { token, body: { name: "a\u0000b", model: "claude-haiku-4-5" } }),
    );
    expect(nul.status).toBe(400);
    expect((await nul.json()).error).toMatchObject({
      code: "bad_request",
      field: "name",
      message: expect.stringMatching(/NUL/),
    });
    const patch = new Request("http://localhost/api/v1/repos/x", {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ testCommand: "\udfff\ud800" }),
    });
    const surrogate = await send(repoRoute.PATCH as Handler, patch, Promise.resolve({ id: repo.id }));
    expect(surrogate.status).toBe(400);
    expect((await surrogate.json()).error).toMatchObject({
      field: "testCommand",
      message: expect.stringMatching(/surrogate/),
    });
  });

  it("the task form's service refuses a NUL in the title with a message, not a database error", async () => {
    const { admin } = await adminToken();
    const { repo, agent } = await insertRun(admin);
    const base = { prompt: "Do it.", repoId: repo.id, agentId: agent.id };
    await expect(createTask(admin, { ...base, title: "a\u0000b" })).rejects.toThrow(/can't be saved/);
    await expect(createTask(admin, { ...base, title: "ok", prompt: "x\ud800" })).rejects.toThrow(
      /can't be saved/,
    );
  });

  it("the diff of a run whose repository can't be read is a 409 that says so", async () => {
    const { admin, token } = await adminToken();
    const { run } = await insertRun(admin, { source: "/nonexistent" });
    const response = await send(
      diffRoute.GET as Handler,
      request(`/api/v1/runs/${run.id}/diff`, { token }),
      Promise.resolve({ id: run.id }),
    );
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/can't be read/),
    });
  });
});
