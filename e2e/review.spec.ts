// The review round a new user goes through: the demo task's diff, two inline comments, request changes
// (the follow-up run's first model request carries both), approve, merge — and the merge is in the
// demo repository's own git history.
import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

test.use({ storageState: ADMIN_STATE });

const modelPort = Number(process.env.E2E_MODEL_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 1);
const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

/** A new demo task, assigned in the browser (loading the demo workspace when the board is still empty). */
async function assignDemoTask(page: Page) {
  await page.goto("/board");
  const load = page.getByRole("button", { name: "Load demo workspace" });
  if (await load.isVisible()) {
    await load.click();
    await expect(page).toHaveURL(/\/tasks\/new\?/);
  } else {
    await page.goto("/tasks/new");
    await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
    await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
    await page.getByLabel("Title").fill("Fix the failing test");
    await page.getByLabel("Prompt").fill("Fix the failing test");
  }
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("status-badge").first()).toHaveText("Succeeded", { timeout: 90_000 });
}

async function commentOn(page: Page, lines: number[], text: string, options: { keyboard?: boolean } = {}) {
  await page
    .getByRole("button", { name: `Select line ${lines[0]} of src/math.js` })
    .first()
    .click();
  if (lines[1]) {
    await page
      .getByRole("button", { name: `Select line ${lines[1]} of src/math.js` })
      .first()
      .click({ modifiers: ["Shift"], timeout: 10_000 });
  }
  if (options.keyboard) await page.keyboard.press("c");
  else await page.getByTestId("selection-bar").getByRole("button", { name: "Comment" }).click();
  const form = page.getByRole("form", { name: "New comment" });
  await form.getByRole("textbox").fill(text);
  await form.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByTestId("review-comment").filter({ hasText: text })).toContainText("Draft");
}

test("review the demo task: comments go back to the agent, then approve and merge into the repository", async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  await assignDemoTask(page);
  await page.getByRole("link", { name: /#\d+ Fix the failing test/ }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await page.getByRole("link", { name: "Review changes" }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}\/review$/);

  // The diff: one file in the tree with its counts, the fix in the lines, the run's outcome beside it.
  const tree = page.getByRole("navigation", { name: "Changed files" });
  await expect(tree.getByRole("button", { name: /math\.js/ })).toContainText("+1 −1");
  await expect(page.getByTestId("diff-scroller")).toContainText("return a + b;");
  await expect(page.getByTestId("verification")).toHaveText("Passed");
  await expect(page.getByRole("complementary", { name: "Run and review details" })).toContainText(
    "subtracted its arguments",
  );

  // Provenance: the changed line was written by a step of the run, linked to it in the timeline.
  await page.getByRole("button", { name: "Select line 2 of src/math.js" }).first().click();
  const provenance = page.getByTestId("provenance");
  await expect(provenance).toContainText("was written in");
  await expect(provenance.getByRole("link", { name: /step \d+ of the run/ })).toHaveAttribute(
    "href",
    /\/runs\/[0-9a-f-]{36}#step-\d+$/,
  );
  await page.getByRole("button", { name: "Clear selection" }).click();

  await commentOn(page, [2], "Keep this as a one-liner, please.");
  await commentOn(page, [4, 5], "Add a test for multiply by zero.", { keyboard: true });
  await shot(page, "review-comments");
  await page.getByRole("link", { name: "Split" }).click();
  await expect(page).toHaveURL(/view=split/);
  await expect(page.getByTestId("review-comment")).toHaveCount(2);
  await shot(page, "review-split");

  const before = (await (await request.get(`http://127.0.0.1:${modelPort}/__requests`)).json()).length;
  await page.getByRole("button", { name: "Request changes (2)" }).click();
  await page.getByRole("button", { name: "Send to the agent" }).click();
  await expect(page.getByText("Changes requested: 2 comments sent to the agent.")).toBeVisible();

  // The follow-up run's first request to the model carries both comments, with the code they point at.
  await expect
    .poll(
      async () => {
        const all: { step: number; body: { messages: unknown[] } }[] = await (
          await request.get(`http://127.0.0.1:${modelPort}/__requests`)
        ).json();
        const first = all.slice(before).find((r) => r.step === 0);
        return first ? JSON.stringify(first.body.messages[0]) : "";
      },
      { timeout: 60_000 },
    )
    .toMatch(
      /Keep this as a one-liner, please\.[\s\S]*Add a test for multiply by zero\.|Add a test for multiply by zero\.[\s\S]*Keep this as a one-liner/,
    );

  // The page follows the follow-up run live: when it ends, the task is back in review without a reload.
  await expect(page.getByTestId("status-badge").first()).toHaveText("In review", { timeout: 90_000 });
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
  await page.goto("/repos");
  await page.getByRole("link", { name: "demo-calculator" }).click();
  const source = (await page.getByLabel("Source").inputValue()).trim();
  expect(source).toMatch(/\/demo-calculator$/);
  const log = execFileSync("git", ["-C", source, "log", "-1", "--format=%H %s", "main"], {
    encoding: "utf8",
  });
  expect(log).toMatch(new RegExp(`^${sha}[0-9a-f]{33} Merge task #\\d+: Fix the failing test`));
  expect(execFileSync("git", ["-C", source, "show", "main:src/math.js"], { encoding: "utf8" })).toContain(
    "return a + b;",
  );
  expect(execFileSync("git", ["-C", source, "status", "--porcelain"], { encoding: "utf8" })).toBe("");

  // Every step of the round is in the audit log.
  await page.goto("/settings/audit?action=task.merged");
  await expect(page.getByTestId("audit-table")).toContainText("task.merged");
  await shot(page, "audit-log");
});

test("a 12,000-line diff stays virtualised: a screenful of rows in the page, from top to bottom", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/board");
  const load = page.getByRole("button", { name: "Load demo workspace" });
  if (await load.isVisible()) await load.click();
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill("Generate a big file");
  await page.getByLabel("Prompt").fill("[scenario:lines:12000] Write the generated file.");
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("status-badge").first()).toHaveText("Succeeded", { timeout: 90_000 });
  await page.getByRole("link", { name: /#\d+ Generate a big file/ }).click();
  await page.getByRole("link", { name: "Review changes" }).click();

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
    await page.goto("/tasks/new");
    await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
    await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
    await page.getByLabel("Title").fill("Approve my own work");
    await page.getByLabel("Prompt").fill("[scenario:lines:3] Write three lines.");
    await page.getByRole("button", { name: "Assign" }).click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("status-badge").first()).toHaveText("Succeeded", { timeout: 90_000 });
    await page.getByRole("link", { name: /#\d+ Approve my own work/ }).click();
    await page.getByRole("link", { name: "Review changes" }).click();
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
