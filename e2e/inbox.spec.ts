// "Needs you": a risky command waits in the inbox of everyone who may approve it, with the sidebar's
// count; approving it there lets the run go on, and the item and the count go away — all live. A review with
// nobody named waits on whoever assigned the task until they name a reviewer.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { ensureDemoWorkspace } from "./support/demo-workspace";
import { assignTask } from "./support/review";

test.use({ storageState: ADMIN_STATE });

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
};

async function inboxCount(page: Page): Promise<number> {
  const badge = page.getByTestId("inbox-count");
  if ((await badge.count()) === 0) return 0;
  return Number.parseInt((await badge.textContent()) ?? "0", 10);
}

test("approve a risky command from the inbox; the item and the sidebar count go away live", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await ensureDemoWorkspace(page);

  // An agent whose risky patterns catch `rm -rf`.
  const agentName = `Careful ${Date.now()}`;
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(agentName);
  await page.getByLabel("Risky command patterns").fill("rm -rf");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).not.toHaveURL(/\/agents\/new$/);

  // The inbox is open (and never reloaded) before anything waits in it.
  const inbox = await context.newPage();
  await inbox.goto("/inbox");
  await expect(inbox.getByRole("heading", { name: "Inbox" })).toBeVisible();
  const before = await inboxCount(inbox);

  const title = `Clean the build ${Date.now()}`;
  await page.goto("/tasks/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Prompt").fill("[scenario:risky] Clean the build folder.");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: agentName });
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);
  const runPath = new URL(page.url()).pathname;

  const item = inbox.getByTestId("inbox-item").filter({ hasText: title });
  await expect(item).toBeVisible({ timeout: 30_000 });
  await expect(item).toContainText("Approve a command");
  await expect(item).toContainText("rm -rf build");
  await expect(item).toContainText(/waiting \d/);
  await expect(inbox.getByTestId("inbox-count")).toHaveText(`${before + 1} waiting on you`);

  await shot(inbox, "inbox");
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(inbox.getByText("Command approved.")).toBeVisible();
  await expect(inbox.locator('[data-kind="approval"]').filter({ hasText: title })).toHaveCount(0);

  // The run went on with the approved command and ended; it changed no file, so the task needs a human:
  // it comes back to the inbox as that, live, and leaves it (with the count) once it is discarded.
  const needsHuman = inbox.locator('[data-kind="needs_human"]').filter({ hasText: title });
  await expect(needsHuman).toContainText("No changes", { timeout: 60_000 });
  await expect(inbox.getByTestId("inbox-count")).toHaveText(`${before + 1} waiting on you`);
  await page.goto(runPath);
  await expect(page.getByTestId("status-badge").first()).toHaveText("No changes");
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${title}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await page.goto(`${page.url()}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
  await expect(needsHuman).toHaveCount(0);
  if (before === 0) await expect(inbox.getByTestId("inbox-count")).toHaveCount(0);
  else await expect(inbox.getByTestId("inbox-count")).toHaveText(`${before} waiting on you`);
});

test("a review nobody is named for waits on whoever assigned it, until they name a reviewer", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const title = `Nobody reviews this ${Date.now()}`;
  const taskUrl = await assignTask(page, { title, prompt: "Fix the failing test" });

  await page.goto("/inbox");
  const item = page.getByTestId("inbox-item").filter({ hasText: title });
  await expect(item).toContainText("nobody is named to review it");
  await item.getByRole("link", { name: "Open the review" }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}\/review/);

  const form = page.getByRole("form", { name: "Reviewer" });
  await expect(form.getByLabel("Reviewer")).toHaveValue("");
  await form.getByLabel("Reviewer").selectOption({ label: ADMIN.name });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Reviewer set: it's in their inbox now.")).toBeVisible();

  // Now it is a review assigned to them, like any other; the task page names the reviewer.
  await page.goto("/inbox");
  await expect(item).toContainText("Review the changes");
  await expect(item).not.toContainText("nobody is named");
  await page.goto(taskUrl);
  await expect(page.getByRole("link", { name: ADMIN.name })).toBeVisible();

  // Leave no open review behind: the metrics spec counts open reviews per reviewer, right now.
  await page.goto(`${taskUrl}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
});
