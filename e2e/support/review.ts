// Steps the review specs share: assigning a task in the browser, opening its review page, commenting on
// lines, and finding the demo repository's folder on disk (to check it with git).
import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";
import { expectAssigned } from "./assign";
import { ensureDemoWorkspace } from "./demo-workspace";

export { ensureDemoWorkspace };

export const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

/**
 * Assigns a task on the demo repository to the demo agent (and `alsoAgent` too, when given) and waits for
 * its run to end with changes (whether the demo repository's tests then pass depends on the task and on
 * what earlier specs merged); returns the task page's URL.
 */
export async function assignTask(
  page: Page,
  task: { title: string; prompt: string; alsoAgent?: string },
): Promise<string> {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(task.title);
  await page.getByLabel("Prompt").fill(task.prompt);
  if (task.alsoAgent) {
    await page.getByRole("button", { name: "Run with several agents" }).click();
    await page.getByRole("checkbox", { name: new RegExp(task.alsoAgent) }).check();
    await page.getByRole("button", { name: "Assign to 2 agents" }).click();
    await expectAssigned(page, /\/tasks\/[0-9a-f-]{36}$/);
    return page.url();
  }
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);
  await expect(page.getByTestId("status-badge").first()).toHaveText(
    /^(Changes ready|Changes, tests failed)$/,
    {
      timeout: 90_000,
    },
  );
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${task.title}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  return page.url();
}

/** From the task page to its review page. */
export async function openReview(page: Page, taskUrl: string) {
  await page.goto(taskUrl);
  await page.getByRole("link", { name: "Review changes" }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}\/review/);
}

/** Selects lines by their gutter buttons (shift-click for the second) and saves a draft comment. */
export async function commentOn(
  page: Page,
  lines: string[],
  text: string,
  options: { keyboard?: boolean } = {},
) {
  await page.getByRole("button", { name: lines[0] }).first().click();
  if (lines[1]) {
    await page
      .getByRole("button", { name: lines[1] })
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

/** The demo repository's folder, as its repository's edit form (an admin's) shows it. */
export async function demoSource(page: Page): Promise<string> {
  await page.goto("/repos");
  await page.getByRole("link", { name: "demo-calculator" }).click();
  await expect(page).toHaveURL(/\/repos\/[0-9a-f-]{36}$/);
  // The repository's page leads with its history; the form is behind Edit.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/repos\/[0-9a-f-]{36}\/edit$/);
  const source = (await page.getByLabel("Source").inputValue()).trim();
  expect(source).toMatch(/\/demo-calculator$/);
  return source;
}

export const gitIn = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
