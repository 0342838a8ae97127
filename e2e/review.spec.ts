// The review round a new user goes through: the demo task's diff, inline comments (one on a removed
// line), request changes — the task stays Changes requested while the follow-up runs, and its first model
// request carries every comment with its file, line and code — then approve and merge, and the merge is in
// the demo repository's own git history, each action with exactly one audit row.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { modelRequests, scenario } from "./support/fake-model";
import { assignTask, commentOn, demoSource, gitIn, openReview, shot } from "./support/review";

test.use({ storageState: ADMIN_STATE });

const line = (n: number) => `Select line ${n} of src/math.js`;
const removed = (n: number) => `Select removed line ${n} of src/math.js`;

/** The audit rows of one action about one task, as an admin finds them in Settings → Audit log. */
async function auditRows(page: Page, action: string, taskId: string) {
  await page.goto(`/settings/audit?${new URLSearchParams({ action })}`);
  const table = page.getByTestId("audit-table");
  return table
    .locator("tbody tr")
    .filter({ has: page.locator(`a[href="/tasks/${taskId}"]`) })
    .count();
}

test("review the demo task: comments go back to the agent, then approve and merge into the repository", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const title = `Fix the failing test ${Date.now()}`;
  const taskUrl = await assignTask(page, { title, prompt: "Fix the failing test" });
  const taskId = taskUrl.split("/").at(-1) ?? "";
  await openReview(page, taskUrl);

  // The diff: one file in the tree with its counts, the fix in the lines, the run's outcome beside it.
  const tree = page.getByRole("navigation", { name: "Changed files" });
  await expect(tree.getByRole("button", { name: /math\.js/ })).toContainText("+1 −1");
  await expect(page.getByTestId("diff-scroller")).toContainText("return a + b;");
  await expect(page.getByTestId("verification")).toHaveText("Passed");
  await expect(page.getByRole("complementary", { name: "Run and review details" })).toContainText(
    "subtracted its arguments",
  );

  // Provenance: the changed line was written by a step of the run, linked to it in the timeline.
  await page
    .getByRole("button", { name: line(2) })
    .first()
    .click();
  const provenance = page.getByTestId("provenance");
  await expect(provenance).toContainText("was written in");
  await expect(provenance.getByRole("link", { name: /step \d+ of the run/ })).toHaveAttribute(
    "href",
    /\/runs\/[0-9a-f-]{36}#step-\d+$/,
  );
  await page.getByRole("button", { name: "Clear selection" }).click();

  await commentOn(page, [line(2)], "Keep this as a one-liner, please.");
  await commentOn(page, [line(4), line(5)], "Add a test for multiply by zero.", { keyboard: true });
  await shot(page, "review-comments");
  // Split view: the removed line is on the left, and can be commented on too.
  await page.getByRole("link", { name: "Split" }).click();
  await expect(page).toHaveURL(/view=split/);
  await expect(page.getByTestId("review-comment")).toHaveCount(2);
  await commentOn(page, [removed(2)], "Say in the summary why subtracting was wrong.");
  await expect(page.getByTestId("review-comment").filter({ hasText: "subtracting" })).toContainText(
    "removed line 2",
  );
  await page.getByRole("button", { name: removed(2) }).click();
  await expect(page.getByTestId("selection-bar")).toContainText("Removed by this branch");
  await page.getByRole("button", { name: "Clear selection" }).click();
  await shot(page, "review-split");
  // Unified view: the same comment follows the removed line there.
  await page.getByRole("link", { name: "Unified" }).click();
  await expect(page).not.toHaveURL(/view=split/);
  await expect(page.getByTestId("review-comment")).toHaveCount(3);
  await shot(page, "review-unified");

  const before = (await modelRequests()).length;
  await page.getByRole("button", { name: "Request changes (3)" }).click();
  // The note makes the fake model start with a risky command: the follow-up then waits for a person.
  await page.getByLabel(/Overall note/).fill(`${scenario("risky")} Clean the build output first.`);
  await page.getByRole("button", { name: "Send to the agent" }).click();
  await expect(page.getByText("Changes requested: 3 comments sent to the agent.")).toBeVisible();

  // The follow-up run's first request to the model carries every comment, with the code it points at.
  let first = "";
  await expect
    .poll(
      async () => {
        const sent = (await modelRequests()).slice(before).find((r) => r.step === 0);
        first = sent ? JSON.stringify(sent.body.messages[0]) : "";
        return first;
      },
      { timeout: 60_000 },
    )
    .toContain("Keep this as a one-liner, please.");
  for (const expected of [
    "`src/math.js`, line 2",
    "> 2 |   return a + b;",
    "Add a test for multiply by zero.",
    "`src/math.js`, lines 4-5",
    "> 5 | export function multiply(a, b) {",
    "Say in the summary why subtracting was wrong.",
    "`src/math.js`, removed line 2 of the old file",
    "> 2 |   return a - b;",
  ]) {
    expect(first).toContain(expected);
  }

  // While the follow-up runs (here: waiting for a person to allow its command), the task stays
  // Changes requested, on this page and on the board.
  await expect(page.getByTestId("status-badge").first()).toHaveText("Changes requested");
  await page.getByRole("link", { name: "Watch the run" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Waiting for approval", {
    timeout: 60_000,
  });
  const runUrl = page.url();
  await page.goto(`${taskUrl}/review`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("Changes requested");
  await page.goto(`/board?${new URLSearchParams({ q: title })}`);
  await expect(
    page.locator('[data-column="changes_requested"]').getByRole("article", { name: new RegExp(title) }),
  ).toBeVisible();
  await page.goto(runUrl);
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  // The follow-up only cleaned up: it changed no file, and says so.
  await expect(page.getByTestId("status-badge").first()).toHaveText("No changes", { timeout: 60_000 });

  // The task is not back in review: it needs a human, with the reason; the branch still holds the first
  // run's fix, so it can be approved as it is.
  await page.goto(`${taskUrl}/review`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("Needs a human", { timeout: 30_000 });
  await expect(page.getByTestId("needs-human-reason")).toContainText("The run changed no file.");
  await expect(page.getByText("The agent is working on this task")).toHaveCount(0);
  await expect(page.getByRole("complementary", { name: "Run and review details" })).toContainText(
    "Changes requested",
  );

  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Approved. It can be merged now.")).toBeVisible();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved");
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByRole("button", { name: "Merge into main" }).click();
  await expect(page.getByText(/^Merged into main \([0-9a-f]{7}\)\.$/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("status-badge").first()).toHaveText("Merged");
  const sha = (await page.getByTestId("merge-sha").textContent())?.trim() ?? "";
  await shot(page, "review-merged");

  // The demo repository itself (a real git repository with main checked out) holds the merge.
  const source = await demoSource(page);
  expect(gitIn(source, "log", "-1", "--format=%H %s", "main")).toMatch(
    new RegExp(`^${sha}[0-9a-f]{33} Merge task #\\d+: ${title}`),
  );
  expect(gitIn(source, "show", "main:src/math.js")).toContain("return a + b;");
  expect(gitIn(source, "status", "--porcelain")).toBe("");

  // Each action of the round left exactly one audit row (one per comment).
  const expected: Record<string, number> = {
    "task.assigned": 1,
    "review.comment_added": 3,
    "task.changes_requested": 1,
    "task.approved": 1,
    "task.merged": 1,
  };
  for (const [action, count] of Object.entries(expected)) {
    expect(await auditRows(page, action, taskId), action).toBe(count);
  }
  await page.goto("/settings/audit?action=task.merged");
  await expect(page.getByTestId("audit-table")).toContainText("task.merged");
  await shot(page, "audit-log");

  // Leave the demo as later specs expect it: reset from the board, main has its failing test again.
  await page.goto("/board");
  await page.getByRole("button", { name: "Reset the demo" }).click();
  await expect(page).toHaveURL(/\/tasks\/new\?/);
  expect(gitIn(source, "show", "main:src/math.js")).toContain("return a - b;");
});

test("context around a hunk expands: the hidden top of src/math.js, shown but not offered for comments", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Line 6 of the 7-line file changes: the hunk shows lines 3–7, and lines 1–2 are hidden above it.
  const taskUrl = await assignTask(page, {
    title: `Expand ${Date.now()}`,
    prompt: `${scenario("risky", "sed -i '6s/.*/  return b * a;/' src/math.js")} Swap the factors.`,
  });
  await openReview(page, taskUrl);
  const scroller = page.getByTestId("diff-scroller");
  await expect(scroller).toContainText("return b * a;");
  // (The hunk header names the enclosing function too: look at the lines themselves.)
  const firstLine = scroller
    .locator("[data-line-kind=context]")
    .filter({ hasText: "export function add(a, b) {" });
  await expect(firstLine).toHaveCount(0);
  await page
    .getByRole("button", { name: "Show all hidden lines above the first change in src/math.js" })
    .click();
  await expect(firstLine).toHaveCount(1);
  // Expanded lines are context, not part of the change: no line-number button to comment with.
  await expect(page.getByRole("button", { name: line(1) })).toHaveCount(0);
  await expect(page.getByRole("button", { name: line(6) }).first()).toBeVisible();
  await shot(page, "review-expanded");
  // Cleaned up: the metrics spec counts the open reviews.
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
});

test("a 12,000-line diff stays virtualised: a screenful of rows in the page, from top to bottom", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const taskUrl = await assignTask(page, {
    title: "Generate a big file",
    prompt: "[scenario:lines:12000] Write the generated file.",
  });
  await openReview(page, taskUrl);

  const tree = page.getByRole("navigation", { name: "Changed files" });
  await expect(tree.getByRole("button", { name: /generated\.txt/ })).toContainText("+12,000 −0");
  // Big files start collapsed; opening one mounts only what is on screen.
  await expect(page.getByText("12,000 changed lines, collapsed.")).toBeVisible();
  await page.getByRole("button", { name: "Show file" }).click();
  const scroller = page.getByTestId("diff-scroller");
  await expect(scroller).toContainText("generated line 1");
  const rows = scroller.locator("[data-row]");
  expect(await rows.count()).toBeLessThan(150);
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(scroller).toContainText("generated line 12000");
  expect(await rows.count()).toBeLessThan(150);
  await shot(page, "review-big");
});

test("with independent approval on, the server refuses an approval from the person who assigned the task", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/settings/general");
  const rule = page.getByRole("form", { name: "Approvals" });
  await rule.getByRole("checkbox").check();
  await rule.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Approval rule saved")).toBeVisible();
  await shot(page, "settings-approvals");
  try {
    const taskUrl = await assignTask(page, {
      title: "Approve my own work",
      prompt: "[scenario:lines:3] Write three lines.",
    });
    await openReview(page, taskUrl);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(
      page.getByRole("alert").filter({
        hasText:
          "Your team requires the approval to come from someone other than the person who assigned the task.",
      }),
    ).toBeVisible();
    await expect(page.getByTestId("status-badge").first()).toHaveText("In review");
  } finally {
    await page.goto("/settings/general");
    await page.getByRole("form", { name: "Approvals" }).getByRole("checkbox").uncheck();
    await page.getByRole("form", { name: "Approvals" }).getByRole("button", { name: "Save rule" }).click();
    await expect(page.getByText("Approval rule saved")).toBeVisible();
  }
});
