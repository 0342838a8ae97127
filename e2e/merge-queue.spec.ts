// The merge queue in the browser: while one task's merge is landing (its merged tree under test), a second
// merge into the same base waits its turn — the review page and the board say "Queued (position 2)" —
// then lands by itself, and the board shows it merged without a reload.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { scenario } from "./support/fake-model";
import { ensureDemoWorkspace, shot } from "./support/review";

test.use({ storageState: ADMIN_STATE });

const card = (page: Page, title: string) =>
  page.getByRole("article", { name: new RegExp(`^#\\d+ ${title}$`) });

/**
 * Like support/review's assignTask, with longer waits: this spec's two runs and merges are slow on a
 * loaded machine, and only the queue is under test here.
 */
async function assignTask(page: Page, task: { title: string; prompt: string }): Promise<string> {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(task.title);
  await page.getByLabel("Prompt").fill(task.prompt);
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);
  await expect(page.getByTestId("status-badge").first()).toHaveText(
    /^(Changes ready|Changes, tests failed)$/,
    {
      timeout: 120_000,
    },
  );
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${task.title}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return page.url();
}

/** Straight to the review page (the task page's link is tested elsewhere; this machine is slow). */
async function openReview(page: Page, taskUrl: string) {
  await page.goto(`${taskUrl}/review`, { timeout: 60_000 });
  await expect(page.getByTestId("status-badge").first()).toBeVisible({ timeout: 30_000 });
}

async function approve(page: Page, taskUrl: string) {
  await openReview(page, taskUrl);
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved", { timeout: 30_000 });
}

test("a second merge into main waits behind the one landing, then lands by itself", async ({
  page,
  browser,
}) => {
  test.setTimeout(480_000);
  const id = Date.now();
  // A test that passes at once in the agent's run (its checkout has a .git) and, on the merged tree (a plain
  // checkout, no .git), holds the first merge landing for 60 s and then fails: the merge is refused, so main
  // never gets this test and no later spec waits on it.
  const slowTest = `test/queue-slow-${id}.test.js=import { test } from "node:test"; import { existsSync } from "node:fs"; test("slow", async () => { if (!existsSync(".git")) { await new Promise((r) => setTimeout(r, 60000)); throw new Error("held the queue, then refused on purpose"); } });`;
  const one = await assignTask(page, {
    title: `Queue first ${id}`,
    prompt: `${scenario("write", slowTest)} Add a slow test.`,
  });
  const two = await assignTask(page, {
    title: `Queue second ${id}`,
    prompt: `${scenario("write", `notes/queue-${id}.md=queued behind another merge`)} Add a note.`,
  });
  await approve(page, one);
  await approve(page, two);

  // The first merge, with the tests run on the merged tree: its action answers when it has landed.
  await openReview(page, one);
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByLabel("Run the repository's tests on the merged result first").check();
  await page.getByRole("button", { name: "Merge into main" }).click();

  const other = await browser.newPage({ storageState: ADMIN_STATE });
  await other.goto("/board");
  await expect(card(other, `Queue first ${id}`).getByTestId("merge-queue-badge")).toHaveText("Landing…", {
    timeout: 30_000,
  });

  await openReview(other, two);
  await other.getByRole("button", { name: "Merge", exact: true }).click();
  await other.getByRole("button", { name: "Merge into main" }).click();
  await expect(other.getByText("Queued to merge into main (position 2).")).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId("merge-queue-badge")).toHaveText("Queued (position 2)");
  await expect(other.getByRole("button", { name: "Merge", exact: true })).toHaveCount(0);

  await other.goto("/board");
  const second = card(other, `Queue second ${id}`);
  await expect(second.getByTestId("merge-queue-badge")).toHaveText("Queued (position 2)");
  await shot(other, "merge-queue-board");
  // No reload from here: the team's change feed moves the card when it lands.
  await expect(second.getByTestId("merge-queue-badge")).toHaveCount(0, { timeout: 90_000 });
  await expect(
    other.locator('[data-column="merged"]').getByRole("article", { name: new RegExp(`Queue second ${id}`) }),
  ).toBeVisible();

  // The first one ended too: refused, since its test fails on the merged tree, with the test output.
  await openReview(page, one);
  const refused = page.getByTestId("merge-refusal");
  await expect(refused).toBeVisible({ timeout: 60_000 });
  await refused.locator("summary").click();
  await expect(refused).toContainText("Merge refused");
  await expect(refused).toContainText("held the queue, then refused on purpose");
  await shot(page, "merge-queue-refused");
  // Tasks a spec leaves open are discarded.
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
  await other.close();
});
