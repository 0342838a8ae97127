// The README's demo walkthrough, told truthfully: the demo's follow-up runs read the review. Asked for
// something it can't do, the demo says so and its branch stays as it was; asked for a test for negative
// numbers, it writes one and runs the tests. Once its fix is merged, an admin resets the demo from the board.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { ensureDemoWorkspace } from "./support/demo-workspace";
import { assignTask, demoSource, gitIn, openReview } from "./support/review";

test.use({ storageState: ADMIN_STATE });

/** The demo task, fixed by its first run: its page, its branch and the demo repository's folder. */
async function fixedDemoTask(page: Page, title: string) {
  const taskUrl = await assignTask(page, { title, prompt: "Fix the failing test" });
  const branch = (
    (await page
      .getByRole("link", { name: /^foreman\// })
      .first()
      .textContent()) ?? ""
  ).trim();
  expect(branch).toMatch(/^foreman\/\d+-/);
  const source = await demoSource(page);
  return { taskUrl, branch, source };
}

/** Sends the review back with an overall note and opens the follow-up run's page. */
async function requestChanges(page: Page, taskUrl: string, note: string) {
  await openReview(page, taskUrl);
  await page.getByRole("button", { name: /^Request changes/ }).click();
  await page.getByLabel(/Overall note/).fill(note);
  await page.getByRole("button", { name: "Send to the agent" }).click();
  await expect(page.getByText(/^Changes requested/).first()).toBeVisible();
  await page.getByRole("link", { name: "Watch the run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  return page.getByRole("list", { name: "Steps" });
}

async function discard(page: Page, taskUrl: string) {
  await page.goto(`${taskUrl}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
}

test("asked for something it can't do, the demo says so and changes nothing", async ({ page }) => {
  test.setTimeout(180_000);
  const { taskUrl, branch, source } = await fixedDemoTask(page, `Fix the failing test ${Date.now()}`);
  const head = gitIn(source, "rev-parse", branch).trim();

  const steps = await requestChanges(page, taskUrl, "Also translate the README into French.");
  await expect(steps).toContainText("I made no changes", { timeout: 60_000 });
  await expect(steps).toContainText("offline demo model, so I can't do what this review asks");
  await expect(steps).toContainText("Also translate the README into French.");
  await expect(steps).not.toContainText("Fixed the failing test");
  // No tool ran, nothing was committed: the branch is where the first run left it.
  await expect(steps.getByRole("listitem").filter({ hasText: "Checkpoint" })).toHaveCount(0);
  expect(gitIn(source, "rev-parse", branch).trim()).toBe(head);

  await discard(page, taskUrl);
});

test("asked for a test for negative numbers, the demo writes one and runs the tests", async ({ page }) => {
  test.setTimeout(180_000);
  const { taskUrl, branch, source } = await fixedDemoTask(page, `Fix the failing test ${Date.now()}`);
  const head = gitIn(source, "rev-parse", branch).trim();

  const steps = await requestChanges(page, taskUrl, "Add a test for negative numbers.");
  await expect(steps).toContainText("Added the test add handles negative numbers", { timeout: 60_000 });
  await expect(steps.getByRole("listitem").filter({ hasText: "Verification passed" })).toContainText(
    "exit code 0",
  );
  await expect(steps).not.toContainText("Fixed the failing test");
  // A real diff on the same branch, shown on the review page as what changed since the last review.
  const diff = gitIn(source, "diff", head, branch);
  expect(diff).toContain('+test("add handles negative numbers", () => {');
  expect(diff).toContain("+  assert.equal(add(-2, -3), -5);");
  await openReview(page, taskUrl);
  await expect(page.getByTestId("diff-scroller")).toContainText("add handles negative numbers");

  await discard(page, taskUrl);
});

test("once the demo's fix is merged, an admin resets the demo from the board", async ({ page }) => {
  test.setTimeout(180_000);
  await ensureDemoWorkspace(page);
  await page.goto("/board");
  // Hidden while main is as seeded. An earlier spec may have merged into the demo: reset it first.
  const reset = page.getByRole("button", { name: "Reset the demo" });
  if (await reset.isVisible()) {
    await reset.click();
    await expect(page).toHaveURL(/\/tasks\/new\?/);
    await page.goto("/board");
  }
  await expect(reset).toHaveCount(0);
  const { taskUrl, source } = await fixedDemoTask(page, `Fix the failing test ${Date.now()}`);
  await page.goto("/board");
  await expect(reset).toHaveCount(0);

  await openReview(page, taskUrl);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved");
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByRole("button", { name: "Merge into main" }).click();
  await expect(page.getByText(/^Merged into main/)).toBeVisible({ timeout: 30_000 });
  expect(gitIn(source, "show", "main:src/math.js")).toContain("return a + b;");

  await page.goto("/board");
  await page.getByRole("button", { name: "Reset the demo" }).click();
  // Back to the start: the demo task prefilled, the failing test on main again.
  await expect(page).toHaveURL(/\/tasks\/new\?repo=[0-9a-f-]+&agent=[0-9a-f-]+&demo=1$/);
  await expect(page.getByLabel("Title")).toHaveValue("Fix the failing test");
  expect(gitIn(source, "show", "main:src/math.js")).toContain("return a - b;");
  expect(gitIn(source, "log", "-1", "--format=%s", "main")).toMatch(/^Reset the demo/);
  await page.goto("/board");
  await expect(page.getByRole("button", { name: "Reset the demo" })).toHaveCount(0);
});
