// Pages with history: an agent's and a repository's pages lead with their runs and numbers (the form is
// behind Edit, for those who may edit), and a discarded task stays findable (Closed, search by number) and
// readable (its final diff, from Foreman's archive). The task made here is discarded, as every spec's is.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { scenario } from "./support/fake-model";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";
import { ensureDemoWorkspace } from "./support/review";

test.use({ storageState: ADMIN_STATE });

/** With E2E_SCREENSHOTS set: the page at 1440 and 1280 px wide. */
async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  for (const width of [1440, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
}

test("a discarded task stays findable under Closed and by its number, and its diff stays readable", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const title = `Keep my work ${Date.now().toString(36)}`;
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(title);
  await page
    .getByLabel("Prompt")
    .fill(`${scenario("write", "HISTORY.md=kept after the discard")} Write the history note.`);
  await page.getByRole("button", { name: "Assign" }).click();
  // Generous: two cores shared with other test runs.
  await expectAssigned(page);
  await expect(page.getByTestId("status-badge").first()).toHaveText(
    /^(Changes ready|Changes, tests failed)$/,
    {
      timeout: 90_000,
    },
  );
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${title}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  const taskUrl = page.url();
  // The task page's title line: "#12 Title".
  const titleLine = page.getByRole("heading", { level: 1, name: title }).locator("..");
  const number = Number((await titleLine.textContent())?.match(/#(\d+)/)?.[1]);
  expect(number).toBeGreaterThan(0);

  await page.goto(`${taskUrl}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();

  // Its work stays readable: the final diff, from the archive, with how long it is kept.
  await page.reload();
  await expect(page.getByText("The diff can't be read")).toHaveCount(0);
  await expect(page.getByTestId("diff-scroller")).toContainText("kept after the discard");
  await expect(page.getByTestId("archived-diff")).toContainText(
    /kept in Foreman's archive until \w{3} \d+, \d{4}/,
  );
  await shots(page, "review-discarded");

  // Not on the open board by its title …
  await page.goto("/board");
  const search = page.getByRole("searchbox", { name: "Search tasks" });
  await search.fill(title);
  await expect(page.getByTestId("no-match")).toBeVisible();
  // … but by its number, with or without '#'.
  for (const query of [`#${number}`, String(number)]) {
    await search.fill(query);
    const card = page.locator(`[data-testid=board-card][data-task-number="${number}"]`);
    await expect(card).toBeVisible();
    await expect(card).toContainText("Discarded");
  }

  // Under Closed: newest closed first, so it heads the list.
  await search.fill("");
  await page.getByRole("button", { name: "Closed" }).click();
  await expect(page).toHaveURL(/state=closed/);
  const first = page.getByTestId("closed-task").first();
  await expect(first).toHaveAttribute("data-task-number", String(number));
  await expect(first).toContainText(title);
  await expect(first).toContainText("Discarded");
  await shots(page, "board-closed");
  // Search narrows the Closed view to the task of that number and the titles holding it (another spec's
  // title may hold the digits); the row opens the review page with the diff.
  const row = page.locator(`[data-testid=closed-task][data-task-number="${number}"]`);
  await search.fill(String(number));
  await expect(page).toHaveURL(new RegExp(`[?&]q=${number}(&|$)`));
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId("closed-task").filter({ hasNotText: String(number) })).toHaveCount(0);
  // Typing and clicking the row before the search's pause: the search written to the URL after the click
  // must not pull the page back to the board (a URL write during the navigation cancelled it).
  await search.fill(`#${number}`);
  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}\/review/);
  await expect(page.getByTestId("diff-scroller")).toContainText("kept after the discard");
});

test("an agent's page leads with its history; Edit opens its form; a viewer sees the history only", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await page.goto("/agents");
  await page.getByRole("link", { name: "Demo (offline)" }).click();
  await expect(page).toHaveURL(/\/agents\/[0-9a-f-]{36}$/);
  const agentUrl = page.url();
  // The previous test (and the demo) ran it: recent runs, linked, with the Metrics page's numbers.
  await expect(page.getByRole("heading", { name: /History/ })).toBeVisible();
  await expect(page.getByTestId("kpi-success-rate")).toContainText("Success rate");
  await expect(page.getByTestId("kpi-spend")).toContainText("$");
  await expect(page.getByTestId("kpi-duration")).toContainText(/\d+(\.\d)? (s|min|h)/);
  await expect(page.getByTestId("kpi-open-tasks")).toBeVisible();
  const runs = page.getByTestId("recent-run");
  await expect(runs.first()).toBeVisible();
  await expect(page.getByRole("textbox", { name: "System prompt" })).toHaveCount(0);
  // Another period is a click away, in the URL.
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole("heading", { name: /History · last 7 days/ })).toBeVisible();
  await shots(page, "agent-page");

  // A run links to its page.
  await runs.first().getByRole("link").click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);

  // Edit: the form, saved in place.
  await page.goto(agentUrl);
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/agents\/[0-9a-f-]{36}\/edit$/);
  await expect(page.getByLabel("System prompt")).toBeVisible();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();

  // The repository's page too: history first, then its settings read-only.
  await page.goto("/repos");
  await page.getByRole("link", { name: "demo-calculator" }).click();
  await expect(page.getByRole("heading", { name: /History/ })).toBeVisible();
  await expect(page.getByTestId("recent-run").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit" })).toBeVisible();
  await expect(page.getByLabel("Source")).toHaveCount(0);
  await shots(page, "repo-page");
  // Where an admin sets how long discarded work is kept.
  await page.goto("/settings/general");
  await expect(page.getByLabel("Days kept")).toHaveValue("30");
  await page.getByRole("form", { name: "Discarded work" }).scrollIntoViewIfNeeded();
  await shots(page, "settings-discarded");

  // A viewer reads the history, with no Edit; the edit page refuses them.
  const joined = await joinWithInvite(browser, await createInvite(browser, "Viewer"), newPerson("Viewer"));
  // A page of its own: the board the invite lands on keeps loading (live updates).
  const viewer = await joined.context().newPage();
  await viewer.goto(agentUrl);
  await expect(viewer.getByTestId("recent-run").first()).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await viewer.goto(`${agentUrl}/edit`);
  await expect(viewer.getByRole("heading", { name: "You don't have permission" })).toBeVisible();
  await expect(viewer.getByLabel("System prompt")).toHaveCount(0);
  await viewer.context().close();
});
