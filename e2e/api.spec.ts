// The REST API as a script uses it: a token made in Settings → API tokens, then only HTTP with
// `Authorization: Bearer …` (no cookies) — register a real git repository, define an agent, assign a
// task, and follow the run's events over SSE until the stream ends by itself after run_finished.
// On a Foreman of its own (fresh embedded database, the same fake model server), so the tasks it
// creates never show up on the shared instance's board, where other specs expect an empty one.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type APIRequest, type APIRequestContext, type Browser, expect, test } from "@playwright/test";
import { fillSignUp } from "./support/accounts";
import { type AppProcess, embeddedEnv, freePort, startApp, waitUntilServing } from "./support/app-process";
import { scenario } from "./support/fake-model";

const modelPort = Number(process.env.E2E_MODEL_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 1);

function makeGitRepo(parent: string): string {
  const dir = path.join(fs.realpathSync(parent), "source-repo");
  fs.mkdirSync(dir);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  fs.writeFileSync(path.join(dir, "README.md"), "# api\n");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}

interface SseEvent {
  id: number | null;
  event: string;
  data: { seq: number; type: string; payload: Record<string, unknown> };
}

function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => /^data: /m.test(block))
    .map((block) => {
      const field = (name: string) => block.match(new RegExp(`^${name}: (.*)$`, "m"))?.[1];
      const id = field("id");
      return {
        id: id ? Number(id) : null,
        event: field("event") ?? "message",
        data: JSON.parse(field("data") ?? "null"),
      };
    });
}

test("a token from Settings drives the API: repo, agent, task, and the run's events over SSE to the end", async ({
  browser,
  playwright,
}) => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-api-data-"));
  // The repository lives beside the data folder: Foreman refuses a source inside its own data folder.
  const sourceParent = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-api-source-"));
  const app: AppProcess = startApp(await freePort(), {
    ...embeddedEnv(dataDir),
    ANTHROPIC_API_KEY: "e2e-fake-key",
    ANTHROPIC_BASE_URL: `http://127.0.0.1:${modelPort}`,
  });
  try {
    await waitUntilServing(app);
    await driveTheApi(app.url, browser, playwright, makeGitRepo(sourceParent));
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(sourceParent, { recursive: true, force: true });
  }
});

async function driveTheApi(
  baseURL: string,
  browser: Browser,
  playwright: { request: APIRequest },
  repoDir: string,
) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-up");
  await page.getByLabel("Team name").fill("API team");
  await fillSignUp(page, { name: "Scott Script", email: "scott@example.com", password: "api password 123" });
  await page.getByRole("button", { name: "Create team and account" }).click();
  await expect(page).toHaveURL(/\/board$/);

  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("e2e api script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^fm_/);

  // A client with nothing but the token: no session cookie.
  const api: APIRequestContext = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    storageState: { cookies: [], origins: [] },
  });
  const anonymous = await playwright.request.newContext({
    baseURL,
    storageState: { cookies: [], origins: [] },
  });
  try {
    const refused = await anonymous.get("/api/v1/tasks");
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("unauthorized");

    const repoResponse = await api.post("/api/v1/repos", {
      data: {
        name: `api-notes-${Date.now()}`,
        source: repoDir,
        defaultBranch: "main",
        testCommand: "test -f NOTES.md",
      },
    });
    expect(repoResponse.status(), await repoResponse.text()).toBe(201);
    const { repo } = await repoResponse.json();

    const badAgent = await api.post("/api/v1/agents", { data: { name: "Scribe" } });
    expect(badAgent.status()).toBe(400);
    expect((await badAgent.json()).error).toMatchObject({ field: "model" });
    const agentResponse = await api.post("/api/v1/agents", {
      data: { name: `Scribe ${Date.now()}`, model: "claude-haiku-4-5", maxSteps: 10, riskyPatterns: [] },
    });
    expect(agentResponse.status(), await agentResponse.text()).toBe(201);
    const { agent } = await agentResponse.json();

    const taskResponse = await api.post("/api/v1/tasks", {
      data: {
        title: "Leave a note through the API",
        prompt: `Write the note. ${scenario("write", "NOTES.md=written through the API")}`,
        repoId: repo.id,
        agentId: agent.id,
      },
    });
    expect(taskResponse.status(), await taskResponse.text()).toBe(201);
    const { task, run } = await taskResponse.json();
    expect(task).toMatchObject({ title: "Leave a note through the API", baseBranch: "main" });
    expect(run).toMatchObject({ taskId: task.id, status: "queued" });

    // The whole body arrives only because the stream closes after run_finished.
    const stream = await api.get(`/api/v1/runs/${run.id}/events`, {
      headers: { Accept: "text/event-stream" },
      timeout: 120_000,
    });
    expect(stream.status()).toBe(200);
    expect(stream.headers()["content-type"]).toMatch(/^text\/event-stream/);
    const events = parseSse(await stream.text()).filter((e) => e.event === "run_event");
    const ids = events.map((e) => e.id);
    expect(ids[0]).toBe(1);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe((ids[i - 1] as number) + 1);
    expect(events.map((e) => e.data.seq)).toEqual(ids);
    const types = events.map((e) => e.data.type);
    expect(types).toContain("tool_call");
    expect(types).toContain("verification");
    expect(events.at(-1)?.data).toMatchObject({ type: "run_finished", payload: { status: "succeeded" } });

    const finished = (await (await api.get(`/api/v1/runs/${run.id}`)).json()).run;
    expect(finished).toMatchObject({ id: run.id, status: "succeeded", verify: { exitCode: 0 } });
    expect(finished.steps).toBeGreaterThan(0);
    expect(finished.usage.outputTokens).toBeGreaterThan(0);

    // Resuming from Last-Event-ID sends only the later events, and the finished run's stream ends.
    const middle = ids[Math.floor(ids.length / 2)] as number;
    const resumed = await api.get(`/api/v1/runs/${run.id}/events`, {
      headers: { Accept: "text/event-stream", "Last-Event-ID": String(middle) },
    });
    expect(parseSse(await resumed.text()).map((e) => e.id)).toEqual(
      ids.filter((id) => (id as number) > middle),
    );
    const page2 = await (await api.get(`/api/v1/runs/${run.id}/events?after=${middle}`)).json();
    expect(page2).toMatchObject({ finished: true, lastSeq: ids.at(-1) });
    expect(page2.events.map((e: { seq: number }) => e.seq)).toEqual(
      ids.filter((id) => (id as number) > middle),
    );

    const withRuns = await (await api.get(`/api/v1/tasks/${task.id}`)).json();
    expect(withRuns.task.status).toBe("in_review");
    expect(withRuns.runs.map((r: { id: string }) => r.id)).toEqual([run.id]);
    // The agent's work is on the run's branch of the real repository.
    const note = execFileSync("git", ["show", `${finished.branch}:NOTES.md`], {
      cwd: repoDir,
      encoding: "utf8",
    });
    expect(note.trim()).toBe("written through the API");
  } finally {
    await api.dispose();
    await anonymous.dispose();
    await context.close();
  }
}
