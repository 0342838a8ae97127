import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";

test.use({ storageState: ADMIN_STATE });

test("the demo workspace: assign the prefilled task and watch the run fix the failing test", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/board");
  await expect(page.getByRole("heading", { name: "No tasks yet" })).toBeVisible();
  await page.getByRole("button", { name: "Load demo workspace" }).click();

  await expect(page).toHaveURL(/\/tasks\/new\?repo=[0-9a-f-]+&agent=[0-9a-f-]+&demo=1$/);
  await expect(page.getByLabel("Title")).toHaveValue("Fix the failing test");
  await expect(page.getByLabel("Prompt")).toHaveValue("Fix the failing test");
  await expect(page.getByLabel("Repository")).toHaveValue(/[0-9a-f-]{36}/);
  await expect(page.getByLabel("Repository").locator("option:checked")).toHaveText("demo-calculator");
  await expect(page.getByLabel("Agent").locator("option:checked")).toHaveText("Demo (offline)");
  // The base branch is listed from the repository itself (real git), its default branch chosen.
  await expect(page.getByLabel("Base branch")).toHaveValue("main");
  // Bad input is refused at its field, and the form keeps what was chosen.
  await page.getByLabel("Max cost (USD)").fill("-1");
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByText("Max cost can't be below zero.")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("Fix the failing test");
  await expect(page.getByLabel("Agent").locator("option:checked")).toHaveText("Demo (offline)");
  await page.getByLabel("Max cost (USD)").fill("");
  await page.getByRole("button", { name: "Assign" }).click();

  await expectAssigned(page);
  const runUrl = page.url();
  // The page follows the run live (SSE), with no reload from the test.
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(page.getByTestId("status-badge").first()).toHaveText("Changes ready", { timeout: 90_000 });
  const verification = steps.getByRole("listitem").filter({ hasText: "Verification passed" });
  await expect(verification).toContainText("exit code 0");
  await expect(verification).toContainText("node --test");
  // The agent's Markdown is rendered: its `code` spans become code, not backquoted text.
  await expect(steps).toContainText("Fixed the failing test: add in src/math.js subtracted its arguments");
  await expect(steps.locator("code", { hasText: "src/math.js" }).first()).toBeVisible();
  await expect(steps.getByRole("listitem").filter({ hasText: "Finished" })).toBeVisible();
  await expect(steps).toContainText("return a + b;");
  // A finished run leads on to its review.
  await expect(page.getByRole("link", { name: "Review changes" })).toHaveAttribute(
    "href",
    /\/tasks\/[0-9a-f-]{36}\/review\?run=[0-9a-f-]{36}$/,
  );

  // The task page lists the run, and the board lists the task.
  await page.getByRole("link", { name: /#1 Fix the failing test/ }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Fix the failing test" })).toBeVisible();
  const runLink = page.getByRole("link", { name: /^foreman\// });
  await expect(runLink).toHaveCount(1);
  await expect(runLink).toHaveAttribute("href", new URL(runUrl).pathname);
  await expect(page.getByRole("row").filter({ has: runLink })).toContainText("Changes ready");

  await page.goto("/board");
  const card = page.getByRole("article", { name: /Fix the failing test/ });
  await expect(card).toContainText("#1");
  await expect(card).toContainText("In review");
  await expect(card).toContainText("Demo (offline)");
  await expect(card).toContainText("demo-calculator");
  await expect(card).toContainText("$0.00");
  await expect(page.locator('[data-column="in_review"]')).toContainText("Fix the failing test");
});

test("the run's event stream refuses the signed-out and unknown runs before it opens", async ({
  page,
  browser,
}) => {
  const response = await page.request.get("/api/runs/00000000-0000-4000-8000-000000000000/events");
  expect(response.status()).toBe(404);
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const refused = await anonymous.request.get("/api/runs/00000000-0000-4000-8000-000000000000/events");
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthorized");
  await anonymous.close();
});
