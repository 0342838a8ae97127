// The dependency fields of the REST API, called with real Requests and a real token.
import { describe, expect, it } from "vitest";
import * as dependenciesRoute from "@/app/api/v1/tasks/[id]/dependencies/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function call(handler: Handler, token: string, method: string, id?: string, body?: unknown) {
  const request = new Request("http://localhost/api/v1/tasks", {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(id ? { id } : {}) as Promise<never> });
  return { status: response.status, body: await response.json() };
}

describe("dependencies in the API", () => {
  it("takes dependsOn on POST /tasks, shows waitingOn everywhere, and answers 400s that say why", async () => {
    const admin = await teamAdmin();
    const { token } = await createApiToken(admin, { name: "deps" });
    const { repo, agent, task: a } = await insertRun(admin);
    const post = (body: Record<string, unknown>) =>
      call(tasksRoute.POST as Handler, token, "POST", undefined, {
        title: "B",
        prompt: "B",
        repoId: repo.id,
        agentId: agent.id,
        ...body,
      });

    const created = await post({ dependsOn: [a.id] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const waiting = [{ taskId: a.id, number: a.number }];
    expect(created.body.task).toMatchObject({ dependsOn: waiting, waitingOn: waiting });
    const b = created.body.task.id as string;

    const one = await call(taskRoute.GET as Handler, token, "GET", b);
    expect(one.body.task).toMatchObject({ dependsOn: waiting, waitingOn: waiting });
    const list = await call(tasksRoute.GET as Handler, token, "GET");
    const listed = list.body.tasks.find((t: { id: string }) => t.id === b);
    expect(listed).toMatchObject({ waitingOn: waiting });
    expect(list.body.tasks.find((t: { id: string }) => t.id === a.id)).toMatchObject({ waitingOn: [] });

    const cycle = await call(dependenciesRoute.PUT as Handler, token, "PUT", a.id, { dependsOn: [b] });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error).toMatchObject({ code: "bad_request", field: "dependsOn" });
    expect(cycle.body.error.message).toContain("That would make a cycle");

    for (const [dependsOn, message] of [
      [["nope"], '"nope" isn\'t a task id.'],
      [[42], "dependsOn lists task ids."],
      [
        [b, b, "00000000-0000-4000-8000-000000000000"],
        "There is no task 00000000-0000-4000-8000-000000000000",
      ],
    ] as const) {
      const refused = await post({ dependsOn });
      expect(refused.status, JSON.stringify(dependsOn)).toBe(400);
      expect(refused.body.error.message).toContain(message);
      expect(refused.body.error.field).toMatch(/^dependsOn/);
    }

    const cleared = await call(dependenciesRoute.PUT as Handler, token, "PUT", b, { dependsOn: [] });
    expect(cleared.status).toBe(200);
    expect(cleared.body.task).toMatchObject({ dependsOn: [], waitingOn: [] });
    const missing = await call(dependenciesRoute.PUT as Handler, token, "PUT", b, {});
    expect(missing.status).toBe(400);
  });
});
