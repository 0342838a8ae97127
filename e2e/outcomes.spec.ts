// Honest outcomes in the browser: a run that changes nothing lands in Needs a human with its reason and
// no Approve or Merge; an agent's question is answered from the task page, and the answer continues the
// same branch. Every task made here is discarded (the metrics spec counts open reviews).
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { modelRequests, scenario } from "./support/fake-model";
import { ensureDemoWorkspace } from "./support/review";

test.use({ storageState: ADMIN_STATE });

async function assign(page: Page, title: string, prompt: string): Promise<string> {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);
  return page.url();
}

async function discard(page: Page, taskUrl: string) {
  await page.goto(`${taskUrl}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
}

test("a run that changes nothing needs a human, says why, and is never offered for approval", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const title = `Nothing to do ${Date.now()}`;
  await assign(page, title, `${scenario("echo")} Say hello.`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("No changes", { timeout: 60_000 });
  await expect(page.getByTestId("run-outcome-reason")).toContainText("The run changed no file.");

  await page.goto(`/board?${new URLSearchParams({ q: title })}`);
  const card = page.locator('[data-column="needs_human"]').getByRole("article", { name: new RegExp(title) });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId("needs-human-reason")).toContainText("No changes: The run changed no file.");
  await expect(
    page.locator('[data-column="in_review"]').getByRole("article", { name: new RegExp(title) }),
  ).toHaveCount(0);

  await card.getByRole("link", { name: new RegExp(title) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  const taskUrl = page.url();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Needs a human");
  await expect(page.getByTestId("task-run")).toContainText("No changes");

  await page.goto(`${taskUrl}/review`);
  await expect(page.getByTestId("needs-human")).toContainText("No changes");
  await expect(page.getByRole("button", { name: "Discard" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Merge", exact: true })).toHaveCount(0);
  await discard(page, taskUrl);
});

test("the agent's question is answered on the task page, and the answer continues the same branch", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const title = `A question ${Date.now()}`;
  await assign(page, title, `${scenario("finish", "needs_input")} Handle division by zero.`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("Needs input", { timeout: 60_000 });
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${title}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  const taskUrl = page.url();
  const panel = page.getByTestId("needs-human");
  await expect(panel).toContainText("The agent asks");
  await expect(panel).toContainText("Should divide by zero throw or return Infinity?");
  // The question waits in the inbox of whoever assigned the task, and leads back here.
  await page.goto("/inbox");
  const asked = page.getByTestId("inbox-item").filter({ hasText: title });
  await expect(asked).toHaveAttribute("data-kind", "needs_human");
  await expect(asked).toContainText("The agent asks: Should divide by zero throw or return Infinity?");
  await asked.getByRole("link", { name: "Answer the agent" }).click();
  await expect(page).toHaveURL(taskUrl);

  const before = (await modelRequests()).length;
  // The answer carries the fake model's marker: the follow-up writes a file.
  await panel
    .getByRole("textbox", { name: "Your answer" })
    .fill(`Throw an error. ${scenario("write", "ANSWER.md=divide by zero throws")}`);
  await panel.getByRole("button", { name: "Answer the agent" }).click();
  await expect(page.getByText("Answer sent: the agent continues on the same branch.")).toBeVisible();

  // The follow-up ends with changes: the task is in review, on the same branch.
  await expect(page.getByTestId("status-badge").first()).toHaveText("In review", { timeout: 60_000 });
  await expect(page.getByTestId("task-run")).toHaveCount(2);
  // Changes either way; whether the demo repository's tests pass depends on what earlier specs merged.
  await expect(page.getByTestId("task-run").first()).toContainText(/Changes ready|Changes, tests failed/);
  const branches = await page.getByTestId("task-run").locator("td:nth-child(2)").allTextContents();
  expect(new Set(branches).size).toBe(1);
  const first = (await modelRequests()).slice(before).find((r) => r.step === 0);
  const sent = JSON.stringify(first?.body.messages[0]);
  expect(sent).toContain("Should divide by zero throw or return Infinity?");
  expect(sent).toContain("Throw an error.");
  await discard(page, taskUrl);
});
