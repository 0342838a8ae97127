// The task page of a task given to two agents: the form's budget hints for each agent, the prompt rendered
// as Markdown (intraword underscores kept, raw HTML shown as text), every agent named in the header, and
// the runs table's Agent and Kind columns — a "Run again" shows up as such, with who set it off. Also the
// small things every page carries: the team's name in the sidebar and a favicon.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { ensureDemoWorkspace } from "./support/demo-workspace";
import { scenario } from "./support/fake-model";

test.use({ storageState: ADMIN_STATE });

/** The page at the two widths people use, when screenshots are asked for. */
async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  for (const width of [1440, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
}

const PROMPT = [
  "## Make the key optional",
  "",
  "Read `ANTHROPIC_API_KEY` and ANTHROPIC_API_KEY from the environment; keep **both** paths.",
  "",
  "- one _careful_ step",
  "- <img src=x onerror=alert(1)> stays text",
  "",
  // Both agents write a file (the fake model's scenario), so each run has changes ready for review.
  scenario("write", "NOTES.md=both agents wrote this"),
].join("\n");

test("a task for two agents: each agent's budget, the prompt as Markdown, every agent named, runs by kind", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await ensureDemoWorkspace(page);
  // A second agent with budgets unlike the demo agent's.
  const second = `Thrifty ${Date.now()}`;
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(second);
  await page.getByLabel("Max steps").fill("7");
  await page.getByLabel("Max cost (USD)").fill("0.5");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).not.toHaveURL(/\/agents\/new$/);

  const title = `Two agents ${Date.now()}`;
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Prompt").fill(PROMPT);
  await page.getByRole("button", { name: "Run with several agents" }).click();
  await page.getByRole("checkbox", { name: new RegExp(second) }).check();
  // The budget hints name each agent's limits; a field where they differ says so.
  const budgets = page.getByTestId("agent-budgets");
  await expect(budgets.getByRole("listitem")).toHaveCount(2);
  await expect(budgets.getByRole("listitem").filter({ hasText: second })).toContainText("7 steps · $0.50");
  await expect(budgets.getByRole("listitem").filter({ hasText: "Demo (offline)" })).toBeVisible();
  await expect(page.getByLabel("Max steps")).toHaveAttribute("placeholder", "per agent");
  await shots(page, "new-task-two-agents");
  await page.getByRole("button", { name: "Assign to 2 agents" }).click();
  await expectAssigned(page, /\/tasks\/[0-9a-f-]{36}$/);
  const taskUrl = page.url();

  // The prompt, rendered: no emphasis inside ANTHROPIC_API_KEY, no element from the raw HTML.
  const prompt = page.getByTestId("task-prompt");
  await expect(prompt.getByRole("heading", { name: "Make the key optional" })).toBeVisible();
  await expect(prompt.locator("strong")).toHaveText("both");
  await expect(prompt.locator("code")).toHaveText("ANTHROPIC_API_KEY");
  await expect(prompt).toContainText("and ANTHROPIC_API_KEY from the environment");
  await expect(prompt.locator("em")).toHaveText(["careful"]);
  await expect(prompt.locator("img")).toHaveCount(0);
  await expect(prompt).toContainText("<img src=x onerror=alert(1)> stays text");

  // Every agent in the header; one row per run with its agent and kind.
  await expect(page.getByTestId("task-agents")).toHaveText(`Demo (offline), ${second}`);
  const rows = page.getByTestId("task-run");
  await expect(rows).toHaveCount(2);
  await expect(rows.getByTestId("run-agent").filter({ hasText: "Demo (offline)" })).toHaveCount(1);
  await expect(rows.getByTestId("run-agent").filter({ hasText: second })).toHaveCount(1);
  for (const kind of await rows.getByTestId("run-kind").all())
    await expect(kind).toHaveText(`First runAssigned by ${ADMIN.name}`);
  await expect(page.getByRole("link", { name: "Review changes" })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("status-badge").first()).toHaveText(/In review/, { timeout: 90_000 });

  // Run the second agent's run again: a third row, of kind "Run again", started by Ada.
  await rows
    .filter({ hasText: second })
    .getByRole("link", { name: /^Run on / })
    .click();
  await page.getByRole("button", { name: "Run again" }).click();
  // It writes the same file again, so it ends with no changes; the task stays in review on the demo's branch.
  await expect(page.getByTestId("status-badge").first()).toHaveText(/No changes|Changes ready|Failed/, {
    timeout: 90_000,
  });
  await page.goto(taskUrl);
  await expect(rows).toHaveCount(3);
  const rerun = rows.and(page.locator('[data-kind="rerun"]'));
  await expect(rerun.getByTestId("run-agent")).toHaveText(second);
  await expect(rerun.getByTestId("run-kind")).toHaveText(`Run againStarted by ${ADMIN.name}`);
  await expect(page.getByTestId("status-badge").first()).toHaveText(/In review/, { timeout: 90_000 });
  await shots(page, "task-page-two-agents");

  // The inbox names both agents too (the task waits on whoever assigned it: nobody reviews it).
  await page.goto("/inbox");
  await expect(page.getByTestId("inbox-item").filter({ hasText: title })).toContainText(
    `Demo (offline), ${second}`,
  );

  // The audit log names what the re-run was about, with links, instead of raw ids.
  await page.goto("/settings/audit?action=run.rerun");
  const entry = page.getByTestId("audit-table").locator("tbody tr").first();
  await expect(entry.getByRole("link", { name: new RegExp(`^#\\d+ ${title}$`) })).toHaveAttribute(
    "href",
    new URL(taskUrl).pathname,
  );
  await expect(
    entry.getByRole("link", { name: new RegExp(`^${second}'s run on #\\d+$`) }).first(),
  ).toBeVisible();
  await expect(entry.getByTestId("audit-details")).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  await shots(page, "audit-log");

  // Leave no open review behind: the metrics spec counts open reviews.
  await page.goto(`${taskUrl}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
});

test("every page names the team in the sidebar and has a favicon", async ({ page }) => {
  await page.goto("/board");
  await expect(page.getByTestId("team-name")).toHaveText(ADMIN.team);
  const icon = await page.request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /favicon\.ico|icon/);
  await shots(page, "board");
  for (const path of ["/metrics", "/inbox", "/settings/members"]) {
    await page.goto(path);
    await shots(page, path.slice(1).replace("/", "-"));
  }
});
