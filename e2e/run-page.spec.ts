// The run page as people watch it: the model's words arriving before the run ends, a risky command
// approved on the page, a cancel that stops a long command, a reload mid-run that shows every step once,
// and "Run again" / "Download JSON". The fake model server holds a reply where a spec needs the run to
// be mid-run (releaseHold), so nothing here depends on timing.
import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { ensureDemoWorkspace } from "./support/demo-workspace";
import { releaseHold, scenario } from "./support/fake-model";
import { STREAMED_SENTENCE, STREAMED_THINKING } from "./support/scenarios";

test.use({ storageState: ADMIN_STATE });

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
};

const FINISHED = /Changes ready|No changes|Failed/;
const runStatus = (page: Page) => page.getByTestId("status-badge").first();
/** The timeline entry of model step N (its number is the "Step N" the person reads). */
const step = (page: Page, n: number) => page.locator(`[data-step="${n}"]`);
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

/** Assigns a task in the browser and lands on its run page; returns the run's path. */
async function assign(page: Page, options: { title: string; prompt: string; agent?: string }) {
  await page.goto("/tasks/new");
  await page.getByLabel("Title").fill(options.title);
  await page.getByLabel("Prompt").fill(options.prompt);
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: options.agent ?? "Demo (offline)" });
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);
  return new URL(page.url()).pathname;
}

test.beforeEach(async ({ page }) => {
  await ensureDemoWorkspace(page);
});

test("a streamed sentence appears while the run is still running; the task page follows live", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const hold = unique("stream");
  const title = unique("Stream");
  await assign(page, { title, prompt: `${scenario("stream", hold)} Tell me about the repository.` });

  // The whole sentence is on screen, streamed: the reply isn't stored (no Step 1 entry) and the run runs.
  await expect(page.getByTestId("draft-text")).toHaveText(STREAMED_SENTENCE, { timeout: 30_000 });
  await expect(runStatus(page)).toHaveText("Running");
  await expect(step(page, 1)).toHaveCount(0);
  // The thinking arrived too, folded away: its summary shows, its text doesn't until opened.
  const thinking = page.getByTestId("live-draft").getByTestId("thinking");
  await expect(thinking).toContainText("Thinking…");
  await expect(thinking).not.toHaveAttribute("open");
  await expect(thinking.getByText(STREAMED_THINKING)).toBeHidden();
  await shot(page, "run-page-mid-run");

  // The task page, open in another tab and never reloaded, moves with the run.
  const taskPage = await context.newPage();
  await taskPage.goto(
    (await page
      .getByRole("link", { name: new RegExp(title) })
      .first()
      .getAttribute("href")) ?? "",
  );
  await expect(taskPage.getByTestId("status-badge").first()).toHaveText("Running");
  await expect(taskPage.getByTestId("task-run")).toContainText("Running");

  await releaseHold(hold);
  await expect(runStatus(page)).toHaveText(FINISHED, { timeout: 60_000 });
  await expect(step(page, 1).getByTestId("assistant-text")).toHaveText(STREAMED_SENTENCE);
  await step(page, 1).getByTestId("thinking").getByText("Thinking").click();
  await expect(step(page, 1).getByText(STREAMED_THINKING)).toBeVisible();
  await expect(page.getByTestId("draft-text")).toHaveCount(0);
  await expect(page.getByTestId("run-steps")).toHaveText(/^1 \/ \d+$/);
  await expect(page.getByTestId("cost-meter")).toContainText(/\$\d/);
  // The run only talked: the task needs a human, and its page says why.
  await expect(taskPage.getByTestId("status-badge").first()).toHaveText("Needs a human", { timeout: 30_000 });
  await expect(taskPage.getByTestId("task-run")).toContainText("No changes");
  await expect(taskPage.getByTestId("needs-human-reason")).toContainText("The run changed no file.");
  await shot(page, "run-page-finished");
  await taskPage.close();
});

test("approve a risky command from the run page", async ({ page }) => {
  test.setTimeout(120_000);
  const agentName = unique("Careful");
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(agentName);
  await page.getByLabel("Risky command patterns").fill("rm -rf");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).not.toHaveURL(/\/agents\/new$/);

  await assign(page, { title: unique("Clean"), prompt: `${scenario("risky")} Clean up.`, agent: agentName });
  const request = page.getByTestId("approval-request");
  await expect(request).toBeVisible({ timeout: 30_000 });
  await expect(step(page, 1).getByTestId("tool-call")).toContainText("rm -rf build");
  await expect(runStatus(page)).toHaveText("Waiting for approval");
  await shot(page, "run-page-approval");

  await request.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Command approved.")).toBeVisible();
  await expect(page.getByTestId("approval-decision")).toContainText("Approved by Ada Admin");
  await expect(request).toHaveCount(0);
  await expect(runStatus(page)).toHaveText(FINISHED, { timeout: 60_000 });
  // The approved command ran.
  await expect(step(page, 1).getByTestId("tool-call")).toContainText("exit code 0");
});

test("cancel a run during `sleep 30`: it asks first, then ends as cancelled within seconds", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await assign(page, { title: unique("Sleepy"), prompt: `${scenario("sleep")} Wait a bit.` });
  const call = step(page, 1).getByTestId("tool-call");
  await expect(call).toContainText("sleep 30", { timeout: 30_000 });
  await expect(call).toContainText("running…");

  // One click only asks; "Keep running" leaves the run alone.
  await page.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
  await expect(dialog).toBeVisible();
  await shot(page, "run-page-cancel-confirm");
  await dialog.getByRole("button", { name: "Keep running" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(call).toContainText("running…");
  await expect(runStatus(page)).toHaveText("Running");

  await page.getByRole("button", { name: "Cancel run" }).click();
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByText("Cancel requested: the agent stops after its current step.")).toBeVisible();
  // Well before the command's 30 s: the cancel stops it.
  await expect(runStatus(page)).toHaveText("Cancelled", { timeout: 10_000 });
  await expect(page.getByRole("link", { name: "Cancelled", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Run again" })).toBeVisible();
});

test("reload mid-run: every step shows exactly once, before and after the run ends", async ({ page }) => {
  test.setTimeout(120_000);
  const hold = unique("steps");
  const runPath = await assign(page, {
    title: unique("Look"),
    prompt: `${scenario("steps", `6@${hold}`)} Look.`,
  });
  // Step 3's reply is held: the run is mid-run while the page reloads.
  await expect(step(page, 2)).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(runStatus(page)).toHaveText("Running");
  await expect(step(page, 1)).toHaveCount(1);
  await expect(step(page, 2)).toHaveCount(1);
  await expect(step(page, 3)).toHaveCount(0);

  await releaseHold(hold);
  await expect(runStatus(page)).toHaveText(FINISHED, { timeout: 60_000 });
  for (let n = 1; n <= 7; n++) await expect(step(page, n)).toHaveCount(1);
  await expect(page.locator("[data-step]")).toHaveCount(7);
  // Every stored tool call once, each with its result.
  const response = await page.request.get(`/api/runs/${runPath.split("/").at(-1)}/events`);
  const { events } = (await response.json()) as { events: { type: string }[] };
  const calls = events.filter((e) => e.type === "tool_call").length;
  expect(calls).toBe(6);
  await expect(page.getByTestId("tool-call")).toHaveCount(calls);
  await expect(page.getByTestId("tool-call").filter({ hasText: "running…" })).toHaveCount(0);

  // A link to a step opens the page there, highlighted.
  await page.goto(`${runPath}#step-4`);
  await expect(step(page, 4)).toHaveAttribute("data-highlighted", "true");
  await expect(step(page, 4)).toBeInViewport();
  await expect(step(page, 4).getByRole("button", { name: "Copy link to Step 4" })).toBeVisible();
  await expect(page.locator("[data-highlighted]")).toHaveCount(1);
});

test("Run again starts a new run of the task; Download JSON holds every event", async ({ page }) => {
  test.setTimeout(120_000);
  const runPath = await assign(page, { title: unique("Echo"), prompt: `${scenario("echo")} Say hello.` });
  await expect(runStatus(page)).toHaveText(FINISHED, { timeout: 60_000 });
  const runId = runPath.split("/").at(-1);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download JSON" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^run-\d+-[0-9a-f]{8}\.json$/);
  const body = JSON.parse(fs.readFileSync(await download.path(), "utf8")) as {
    run: { id: string; lastSeq: number; status: string };
    task: { id: string };
    events: { seq: number; type: string }[];
  };
  expect(body.run.id).toBe(runId);
  expect(body.events.map((e) => e.seq)).toEqual(Array.from({ length: body.run.lastSeq }, (_, i) => i + 1));
  expect(body.events.map((e) => e.type)).toEqual(
    expect.arrayContaining(["run_started", "user_message", "assistant_message", "run_finished"]),
  );
  expect(body.events.at(-1)?.type).toBe("run_finished");
  await expect(page.locator("[data-step]")).toHaveCount(
    body.events.filter((e) => e.type === "assistant_message").length,
  );

  await page.getByRole("button", { name: "Run again" }).click();
  await expect(page).toHaveURL(
    (url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && url.pathname !== runPath,
  );
  await expect(page.getByRole("link", { name: "run again from an earlier run" })).toBeVisible();
  await expect(runStatus(page)).toHaveText(FINISHED, { timeout: 60_000 });
  await page.goto(`/tasks/${body.task.id}`);
  await expect(page.getByTestId("task-run")).toHaveCount(2);
});
