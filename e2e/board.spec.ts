// The board as people use it all day: assign from the keyboard, watch the card move on its own, filter
// by text in a URL that survives a reload, and a WIP limit that turns a column's header amber.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import type { BoardTask } from "@/lib/tasks/board-columns";
import { ADMIN_STATE, fillSignUp } from "./support/accounts";
import { embeddedEnv, freePort, startApp, waitUntilServing } from "./support/app-process";
import { expectAssigned } from "./support/assign";
import { ensureDemoWorkspace } from "./support/demo-workspace";
import { releaseHold, scenario } from "./support/fake-model";
import { pressShortcut } from "./support/keyboard";

test.use({ storageState: ADMIN_STATE });

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
};

test("assign with `n` from the board; the card appears and moves to Needs a human live, no reload", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await ensureDemoWorkspace(page);
  const title = `Board live ${Date.now()}`;

  // A second tab keeps the board open the whole time and is never reloaded.
  const board = await context.newPage();
  await board.goto("/board");
  await board.evaluate(() => {
    (window as unknown as { __stillHere: boolean }).__stillHere = true;
  });

  await page.goto("/board");
  await pressShortcut(page, "n", /\/tasks\/new$/);
  await page.getByLabel("Title").fill(title);
  // The reply holds before its end until released, so the card is in Running for as long as we look.
  const hold = `board-${Date.now()}`;
  await page.getByLabel("Prompt").fill(`${scenario("stream", hold)} Tell me about the repository.`);
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await expect(page.getByLabel("Base branch")).toHaveValue("main");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("prompt-preview")).toContainText("Tell me about the repository.");
  await page.getByRole("button", { name: "Run with several agents" }).click();
  await shot(page, "new-task");
  await page.getByRole("button", { name: "Just one agent" }).click();
  await page.getByRole("button", { name: "Write" }).click();
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);

  const card = board.getByRole("article", { name: new RegExp(title) });
  await expect(
    board.locator('[data-column="running"]').getByRole("article", { name: new RegExp(title) }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText("Running");
  await expect(card).toContainText("Demo (offline)");
  await expect(card).toContainText("demo-calculator");
  await releaseHold(hold);
  // The run only talked about the repository: no changes, so no review — a person decides what next.
  await expect(
    board.locator('[data-column="needs_human"]').getByRole("article", { name: new RegExp(title) }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(card).toContainText("Needs a human");
  await expect(card.getByTestId("needs-human-reason")).toContainText("No changes: The run changed no file.");
  await expect(
    board.locator('[data-column="running"]').getByRole("article", { name: new RegExp(title) }),
  ).toHaveCount(0);
  // A run that changed nothing has nothing to verify.
  await expect(card.getByTestId("verification")).toHaveText("none");
  await shot(board, "board");
  expect(await board.evaluate(() => (window as unknown as { __stillHere?: boolean }).__stillHere)).toBe(true);
  await board.close();
});

test("`/` focuses the search; the text filter is in the URL and survives a reload", async ({ page }) => {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  const title = `Find nothing ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Prompt").fill("[scenario:stream] Anything.");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page, /\/runs\//);

  await page.goto("/board");
  await expect(page.getByRole("article")).not.toHaveCount(1); // other tasks are on the board too
  const search = page.getByRole("searchbox", { name: "Search tasks" });
  await pressShortcut(page, "/", () => expect(search).toBeFocused({ timeout: 1_000 }));
  // Typing `n` in the search box types it: it doesn't open a new task.
  await search.pressSequentially(title);
  await expect(page).toHaveURL(`/board?${new URLSearchParams({ q: title })}`);
  await expect(page.getByRole("article")).toHaveCount(1);
  await expect(page.getByRole("article")).toHaveAccessibleName(new RegExp(title));

  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search tasks" })).toHaveValue(title);
  await expect(page.getByRole("article")).toHaveCount(1);
  await expect(page.getByRole("article")).toHaveAccessibleName(new RegExp(title));

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByRole("article")).not.toHaveCount(1);
});

test("a WIP limit set in Settings → General warns on the column header when exceeded", async ({ page }) => {
  test.setTimeout(90_000);
  await ensureDemoWorkspace(page);
  const header = page.locator('[data-column="needs_human"] [data-testid="column-header"]');
  await page.goto("/board");
  // The tasks assigned above changed nothing: they need a human (two of them at least).
  await expect(header.getByTestId("column-count")).toHaveText(/^([2-9]|\d{2,})$/, { timeout: 60_000 });

  const setLimit = async (value: string) => {
    await page.goto("/settings/general");
    const form = page.getByRole("form", { name: "WIP limits" });
    await form.getByLabel("Needs a human").fill(value);
    await form.getByRole("button", { name: "Save limits" }).click();
    await expect(page.getByText("WIP limits saved")).toBeVisible();
    await page.goto("/board");
  };
  await setLimit("1");
  await expect(header).toHaveAttribute("data-over", "true");
  await expect(header.getByTestId("column-count")).toHaveText(/^\d+\/1$/);
  await expect(header.getByLabel("Over WIP limit")).toBeVisible();
  await shot(page, "board-wip");

  await setLimit("100");
  await expect(header).toHaveAttribute("data-over", "false");
  await expect(header.getByTestId("column-count")).toHaveText(/^\d+\/100$/);

  // Empty removes the limit again.
  await setLimit("");
  await expect(header.getByTestId("column-count")).toHaveText(/^\d+$/);
});

/** The header of the board's last column lies inside the window, and nothing scrolls sideways. */
async function expectEveryColumnInView(page: Page) {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error("no viewport");
  const header = page.locator('[data-column="failed"] [data-testid="column-header"]');
  await expect(header).toBeVisible();
  const box = await header.boundingBox();
  expect(box).not.toBeNull();
  expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(viewport.width);
  const board = page.getByTestId("board");
  expect(await board.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
}

/** A board where every column holds work: the widest the board gets. */
function everyColumnBusy(): BoardTask[] {
  const at = new Date(Date.now() - 90_000).toISOString();
  const run = (n: number, status: BoardTask["cards"][number]["status"], agentName = "Claude (careful)") => ({
    runId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    agentId: "00000000-0000-4000-8000-000000000000",
    agentName,
    status,
    outcome: status === "succeeded" ? ("changes_ready" as const) : null,
    outcomeReason: null,
    stopReason: null,
    branch: `foreman/${n}-layout`,
    costUsd: 0.0421 * n,
    unpriced: false,
    startedAt: status === "queued" ? null : at,
    finishedAt: null,
    verify: "pass" as const,
    unsandboxed: false,
  });
  const statuses = [
    ["queued", "queued"],
    ["running", "running"],
    ["needs_human", "waiting_approval"],
    ["in_review", "succeeded"],
    ["changes_requested", "running"],
    ["merged", "succeeded"],
    ["cancelled", "cancelled"],
  ] as const;
  return statuses.map(([status, runStatus], i) => ({
    id: `00000000-0000-4000-9000-${String(i + 1).padStart(12, "0")}`,
    number: 9000 + i,
    title: `Layout check ${status}: a title long enough to wrap over a few lines of a card`,
    status,
    repoId: "00000000-0000-4000-8000-000000000000",
    repoName: "demo-calculator",
    assignedBy: null,
    reviewer: { id: "00000000-0000-4000-8000-000000000000", name: "Ada Admin" },
    createdAt: at,
    updatedAt: at,
    cards: i === 1 ? [run(i, runStatus), run(i + 10, "verifying", "Second opinion")] : [run(i, runStatus)],
    baseConflict: status === "changes_requested" ? { baseBranch: "main", files: ["src/math.js"] } : null,
    mergeQueue: status === "in_review" ? { status: "waiting", position: 2, baseBranch: "main" } : null,
    // The in-review card also carries a predicted conflict, so its line is part of the layout check.
    overlaps:
      status === "in_review"
        ? [
            {
              taskId: "00000000-0000-4000-9000-000000000005",
              number: 9004,
              files: ["src/calculator/operations/divide.js"],
              conflict: true,
            },
          ]
        : [],
  }));
}

test("at 1440×900 all seven columns fit on screen, the last one included", async ({ page }) => {
  await ensureDemoWorkspace(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/board");
  await expectEveryColumnInView(page);
});

test("every column busy: fits at 1440×900; at 1280 the cut-off columns are named and one click away", async ({
  page,
}) => {
  await ensureDemoWorkspace(page);
  // The board's client fetch (any filter other than the page's first) answers with a card in every
  // column: the layout's worst case, which the shared instance's tasks don't reach by themselves.
  await page.route(/\/api\/team\/board\?/, (route) => route.fulfill({ json: { tasks: everyColumnBusy() } }));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/board");
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("Layout check");
  await expect(page.locator("[data-column]:not([data-empty])")).toHaveCount(7);
  await expectEveryColumnInView(page);
  // What a card shows stays on it: title, repository, agent, cost, verification, reviewer.
  const card = page.getByRole("article", { name: /#9003 Layout check in_review/ });
  await expect(card).toContainText("demo-calculator");
  await expect(card).toContainText("Claude (careful)");
  await expect(card).toContainText("$0.13");
  await expect(card.getByTestId("verification")).toHaveText("pass");
  await expect(card.getByTestId("card-reviewer")).toHaveAttribute("title", "Reviewer: Ada Admin");
  await shot(page, "board-busy-1440");

  await page.setViewportSize({ width: 1280, height: 800 });
  // The board scrolls inside itself; the page never does.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
    .toBeLessThanOrEqual(1280);
  const more = page.getByTestId("more-columns-right");
  await expect(more).toHaveAccessibleName(/Failed \/ cancelled/);
  await shot(page, "board-busy-1280");
  await more.click();
  await expect
    .poll(async () => {
      const box = await page.locator('[data-column="failed"] [data-testid="column-header"]').boundingBox();
      return box ? box.x + box.width <= 1280 : false;
    })
    .toBe(true);
  await expect(more).toHaveCount(0);
  await expect(page.getByTestId("more-columns-left")).toHaveAccessibleName(/Queued/);

  // Collapsing the sidebar to its rail ([ or its button) makes room: all seven fit at 1280 too, and it
  // stays collapsed on the next page load; the links keep their names.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("[");
  await expect(page.getByRole("button", { name: "Expand sidebar" })).toBeVisible();
  const board = page.getByTestId("board");
  await expect.poll(() => board.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  await expectEveryColumnInView(page);
  await page.goto("/board");
  await expect(page.getByRole("button", { name: "Expand sidebar" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("Layout check");
  await expect(page.locator("[data-column]:not([data-empty])")).toHaveCount(7);
  await expect.poll(() => board.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  await expectEveryColumnInView(page);
  await expect(page.getByRole("link", { name: "Metrics" })).toBeVisible();
  await page.getByRole("button", { name: "Expand sidebar" }).click();
  await expect(page.getByRole("button", { name: "Collapse sidebar" })).toBeVisible();
});

test("assigned to two agents: one task, two runs on their own branches, two cards grouped under it", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await ensureDemoWorkspace(page);
  const second = `Second opinion ${Date.now()}`;
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(second);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).not.toHaveURL(/\/agents\/new$/);

  const title = `Two takes ${Date.now()}`;
  await page.goto("/tasks/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Prompt").fill("[scenario:write:NOTES.md=two takes] Write the notes.");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByRole("button", { name: "Run with several agents" }).click();
  await page.getByRole("checkbox", { name: new RegExp(second) }).check();
  await page.getByRole("button", { name: "Assign to 2 agents" }).click();
  await expectAssigned(page, /\/tasks\/[0-9a-f-]{36}$/);
  const branches = page.getByRole("link", { name: /^foreman\// });
  await expect(branches).toHaveCount(2);

  await page.goto(`/board?${new URLSearchParams({ q: title })}`);
  const card = page.getByRole("article", { name: new RegExp(title) });
  const runs = card.getByTestId("board-run");
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toContainText("Demo (offline)");
  await expect(runs.nth(1)).toContainText(second);
  await expect(
    page.locator('[data-column="in_review"]').getByRole("article", { name: new RegExp(title) }),
  ).toBeVisible({
    timeout: 60_000,
  });
});

test("an empty board turns into the board by itself when the team's first task is assigned", async ({
  browser,
}) => {
  // The shared instance has tasks by now: a fresh one (embedded database) starts with an empty board.
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-board-"));
  const app = startApp(await freePort(), embeddedEnv(dataDir));
  try {
    await waitUntilServing(app);
    const context = await browser.newContext({ baseURL: app.url });
    const watcher = await context.newPage();
    await watcher.goto("/sign-up");
    await watcher.getByLabel("Team name").fill("Fresh");
    await fillSignUp(watcher, { name: "Fay", email: "fay@example.com", password: "fresh password" });
    await watcher.getByRole("button", { name: "Create team and account" }).click();
    await expect(watcher).toHaveURL(/\/board$/);
    await expect(watcher.getByRole("heading", { name: "No tasks yet" })).toBeVisible();
    await watcher.evaluate(() => {
      (window as unknown as { __stillHere: boolean }).__stillHere = true;
    });

    const page = await context.newPage();
    await page.goto("/board");
    await page.getByRole("button", { name: "Load demo workspace" }).click();
    await expect(page).toHaveURL(/\/tasks\/new\?/);
    await page.getByRole("button", { name: "Assign" }).click();
    // A fresh server's first assignment also clones the repository: allow it more than a click's wait.
    await expectAssigned(page, /\/runs\//);

    await expect(watcher.getByRole("article", { name: /Fix the failing test/ })).toBeVisible({
      timeout: 20_000,
    });
    await expect(watcher.getByRole("heading", { name: "No tasks yet" })).toHaveCount(0);
    expect(await watcher.evaluate(() => (window as unknown as { __stillHere?: boolean }).__stillHere)).toBe(
      true,
    );
    await context.close();
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the team changes stream: refused when signed out; signed in, each change is one small event with ids", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // A context without the admin's cookies (the spec's storage state would sign it in and keep it open).
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const refused = await anonymous.request.get("/api/team/changes", { timeout: 10_000 });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthorized");
  await anonymous.close();

  await ensureDemoWorkspace(page);
  await page.goto("/board");
  await page.evaluate(() => {
    const seen: unknown[] = [];
    (window as unknown as { __changes: unknown[] }).__changes = seen;
    const source = new EventSource("/api/team/changes");
    source.addEventListener("change", (event) => seen.push(JSON.parse((event as MessageEvent).data)));
  });

  const assigner = await page.context().newPage();
  await assigner.goto("/tasks/new");
  await assigner.getByLabel("Title").fill(`Stream check ${Date.now()}`);
  await assigner.getByLabel("Prompt").fill("[scenario:stream] Anything.");
  await assigner.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await assigner.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await assigner.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(assigner);
  const runId = assigner.url().split("/").pop();

  // The run's status changes reach the open stream as events naming the run (ids only, no task data).
  await expect
    .poll(
      async () =>
        (
          await page.evaluate(
            () => (window as unknown as { __changes: { runId: string | null }[] }).__changes,
          )
        ).filter((change) => change.runId === runId).length,
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  const changes = await page.evaluate(() => (window as unknown as { __changes: object[] }).__changes);
  for (const change of changes) expect(Object.keys(change).sort()).toEqual(["kind", "runId", "taskId"]);
  await assigner.close();
});
