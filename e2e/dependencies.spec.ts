// A task that depends on another: B is assigned with the form's picker while A waits in review; the board
// says "Waiting on #A" and B's run stays queued; A merges, and B starts from main with A's change in it.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { scenario } from "./support/fake-model";
import { assignTask, demoSource, gitIn, openReview, shot } from "./support/review";

test.use({ storageState: ADMIN_STATE });

const card = (page: Page, title: string) =>
  page.getByRole("article", { name: new RegExp(`^#\\d+ ${title}$`) });

test("B waits on A from the picker, shows it on the board, and starts after A merges, from the new main", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const id = Date.now();
  const aTitle = `Add the dependency notes ${id}`;
  const bTitle = `Build on the notes ${id}`;
  const aTask = await assignTask(page, {
    title: aTitle,
    prompt: `${scenario("write", `docs/dep-a-${id}.txt=written by A ${id}`)} Write the notes.`,
  });
  await page.goto("/board");
  const aNumber = (await card(page, aTitle).getAttribute("data-task-number")) ?? "";
  expect(aNumber).toMatch(/^\d+$/);

  // B, with A picked in "Depends on" by keyboard: type the number, Enter picks it.
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(bTitle);
  await page
    .getByLabel("Prompt")
    .fill(`${scenario("write", `docs/dep-b-${id}.txt=written by B ${id}`)} Build.`);
  const picker = page.getByRole("combobox", { name: "Depends on" });
  await picker.fill(`#${aNumber}`);
  await expect(
    page.getByRole("listbox", { name: "Open tasks" }).getByRole("option", { selected: true }),
  ).toContainText(aTitle);
  await shot(page, "dependency-picker");
  await picker.press("Enter");
  await expect(page.getByTestId("chosen-dependency")).toHaveText(new RegExp(`#${aNumber}\\s*${aTitle}`));
  await page.getByTestId("chosen-dependency").scrollIntoViewIfNeeded();
  await shot(page, "dependency-chosen");
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expectAssigned(page);
  // B's run page says what it waits on, linked, instead of a bare "Queued".
  const runWaiting = page.getByTestId("waiting-on");
  await expect(runWaiting).toHaveText(`Waiting on #${aNumber}`);
  await expect(runWaiting.getByRole("link", { name: `#${aNumber}` })).toHaveAttribute(
    "href",
    new URL(aTask).pathname,
  );
  await expect(page.getByTestId("status-badge")).toHaveCount(0);
  await shot(page, "run-waiting-on");

  // The board: B waits on A, its run not started.
  await page.goto("/board");
  const bCard = card(page, bTitle);
  await expect(bCard.getByTestId("waiting-on")).toHaveText(`Waiting on #${aNumber}`);
  await expect(bCard).toContainText("not started");
  await shot(page, "board-waiting-on");
  // The task page says it too.
  await bCard.getByRole("link", { name: new RegExp(bTitle) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  const bTask = page.url();
  await expect(page.getByTestId("task-dependencies")).toContainText(`Depends on#${aNumber} ${aTitle}`);
  await expect(page.getByTestId("waiting-on")).toHaveText(`Waiting on #${aNumber}`);
  await shot(page, "task-waiting-on-1280");
  if (process.env.E2E_SCREENSHOTS) {
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, "task-waiting-on-1440");
    await page.goto("/board");
    await shot(page, "board-waiting-on-1440");
    await page.goto(bTask);
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  // Still queued a moment later: no worker takes a waiting run.
  await page.waitForTimeout(3_000);
  await page.goto("/board");
  await expect(card(page, bTitle)).toContainText("not started");

  // A merges; B starts and ends with its change, on a branch grown from main after A's merge. B's task
  // page, open in another tab, follows without a reload.
  const watcher = await page.context().newPage();
  await watcher.goto(bTask);
  await expect(watcher.getByTestId("waiting-on")).toHaveText(`Waiting on #${aNumber}`);
  await openReview(page, aTask);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved");
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByRole("button", { name: "Merge into main" }).click();
  await expect(page.getByText(/^Merged into main/)).toBeVisible({ timeout: 30_000 });

  await expect(watcher.getByTestId("waiting-on")).toHaveCount(0);
  await expect(watcher.getByTestId("task-dependencies")).toContainText("Merged");
  await watcher.close();
  await page.goto(bTask);
  await expect(page.getByTestId("waiting-on")).toHaveCount(0);
  await expect(page.getByTestId("task-dependencies")).toContainText("Merged");
  await page.goto("/board");
  await expect(card(page, bTitle).getByTestId("waiting-on")).toHaveCount(0);
  await expect(card(page, bTitle)).toHaveAttribute("data-task-number", /\d+/);
  const source = await demoSource(page);
  const bNumber = await page.goto("/board").then(() => card(page, bTitle).getAttribute("data-task-number"));
  await expect
    .poll(() => gitIn(source, "branch", "--list", `foreman/${bNumber}-*`).trim(), { timeout: 90_000 })
    .not.toBe("");
  const bBranch = gitIn(source, "branch", "--list", `foreman/${bNumber}-*`)
    .trim()
    .replace(/^[*+]?\s*/, "");
  await expect
    .poll(() => gitIn(source, "ls-tree", "-r", "--name-only", bBranch), { timeout: 90_000 })
    .toContain(`docs/dep-b-${id}.txt`);
  // A's file is on B's branch: B started from main after the merge, not from main as it was when assigned.
  expect(gitIn(source, "show", `${bBranch}:docs/dep-a-${id}.txt`)).toContain(`written by A ${id}`);

  // Leave nothing open on the shared server.
  await page.goto(bTask);
  await expect(page.getByTestId("status-badge").first()).toHaveText(/In review|Needs a human/, {
    timeout: 60_000,
  });
  await openReview(page, bTask);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
});

test("a task whose dependency is discarded says so in Needs a human, not that its agent is blocked", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const id = Date.now();
  const aTitle = `Notes to drop ${id}`;
  const cTitle = `Needs the dropped notes ${id}`;
  const aTask = await assignTask(page, {
    title: aTitle,
    prompt: `${scenario("write", `docs/drop-a-${id}.txt=A ${id}`)} Write the notes.`,
  });
  await page.goto("/board");
  const aNumber = (await card(page, aTitle).getAttribute("data-task-number")) ?? "";
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(cTitle);
  await page.getByLabel("Prompt").fill("Build on the notes.");
  const picker = page.getByRole("combobox", { name: "Depends on" });
  await picker.fill(`#${aNumber}`);
  await picker.press("Enter");
  await expect(page.getByTestId("chosen-dependency")).toContainText(aTitle);
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expectAssigned(page);
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${cTitle}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  const cTask = page.url();

  await openReview(page, aTask);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();

  await page.goto(cTask);
  const panel = page.getByTestId("needs-human");
  await expect(panel).toContainText(`Dependency #${aNumber} was discarded`);
  await expect(panel).not.toContainText("The agent is blocked");
  await shot(page, "task-dependency-discarded");
  await page.goto("/board");
  await expect(card(page, cTitle).getByTestId("needs-human-reason")).toContainText(
    `Dependency #${aNumber} was discarded`,
  );

  // Leave nothing open on the shared server (its review page offers "View changes": nothing to review).
  await page.goto(`${cTask}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
});
