// Best-of-N in the browser: a task given to two agents (the fake model writes a file on each branch), the
// Compare view shows both attempts side by side with their diffs, the diff between them and the conflicts
// predicted between them; the reviewer promotes one (the other is closed with its branch), and the
// promoted attempt is approved and merged from the review page as usual.
import { expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { scenario } from "./support/fake-model";
import { demoSource, ensureDemoWorkspace, gitIn } from "./support/review";

test.use({ storageState: ADMIN_STATE });

async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  for (const width of [1440, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
}

test("compare two agents' attempts, promote one, and merge it", async ({ page }) => {
  test.setTimeout(240_000);
  await ensureDemoWorkspace(page);
  const id = Date.now();
  const second = `Contender ${id}`;
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(second);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).not.toHaveURL(/\/agents\/new$/);

  const file = `compare-${id}.md`;
  const title = `Best of two ${id}`;
  // Assigned to both agents from the form (as support/review.ts assignTask does, with room for a loaded
  // machine: creating the task, its two runs and branches can take a while).
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(title);
  await page
    .getByLabel("Prompt")
    .fill(`${scenario("write", `${file}=Compared notes ${id}`)} Write the notes.`);
  await page.getByRole("button", { name: "Run with several agents" }).click();
  await page.getByRole("checkbox", { name: new RegExp(second) }).check();
  await page.getByRole("button", { name: "Assign to 2 agents" }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/, { timeout: 45_000 });
  const taskUrl = page.url();

  // The task page links to the Compare view; it fills in as both runs end.
  const compareLink = page.getByRole("link", { name: "Compare 2 attempts" });
  await expect(compareLink).toHaveAttribute("href", `${new URL(taskUrl).pathname}/compare`);
  await compareLink.click();
  // The view reads git for every attempt: generous on a loaded machine.
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}\/compare$/, { timeout: 30_000 });
  const table = page.getByTestId("attempts");
  await expect(async () => {
    await page.reload();
    await expect(table.getByText(/^(Changes ready|Changes, tests failed)$/)).toHaveCount(2, {
      timeout: 1000,
    });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByTestId("attempt-1")).toContainText("Attempt 1");
  await expect(page.getByTestId("attempt-2")).toContainText("Attempt 2");
  await expect(table).toContainText("Demo (offline)");
  await expect(table).toContainText(second);
  await expect(table.getByText("1 file +1 −0")).toHaveCount(2);
  const branchOf = async (n: number) =>
    ((await page.getByTestId(`attempt-${n}`).locator(".font-mono").textContent()) ?? "").trim();
  const [first, chosen] = [await branchOf(1), await branchOf(2)];
  expect(first).toMatch(/^foreman\/\d+-/);
  expect(chosen).toMatch(/^foreman\/\d+-/);

  // Both write the same file alike: an overlap that merges cleanly.
  await expect(page.getByTestId("attempt-overlaps")).toContainText(
    `Attempt 1 and Attempt 2 both change, and merge cleanly: ${file}`,
  );
  // Attempt 1's diff is shown first; attempt 2's from its tab, through the review page's diff.
  await expect(page.getByTestId("diff-title")).toHaveText("Attempt 1 against main · 1 file");
  await expect(page.getByTestId("diff-scroller")).toContainText(`Compared notes ${id}`);
  await page
    .getByRole("navigation", { name: "Attempt diffs" })
    .getByRole("link", { name: /Attempt 2/ })
    .click();
  await expect(page.getByTestId("diff-title")).toHaveText("Attempt 2 against main · 1 file");
  await expect(page.getByTestId("diff-scroller")).toContainText(`Compared notes ${id}`);
  // Between the two: the same content, so no file differs.
  const between = page.getByRole("form", { name: "Diff between two attempts" });
  await between.getByLabel("From attempt").selectOption("1");
  await between.getByLabel("To attempt").selectOption("2");
  await between.getByRole("button", { name: "Show diff" }).click();
  await expect(page.getByTestId("diff-title")).toHaveText("From attempt 1 to attempt 2 · 0 files");
  await expect(page.getByText("The two attempts are identical")).toBeVisible();
  await shots(page, "compare");

  // The judge: the demo agent reads both attempts in its read-only run and ranks them (on its facts: both
  // failed the demo's tests with the same change, so attempt 1 comes first). The page fills in when it ends.
  const judge = page.getByTestId("judge");
  await judge.getByLabel("Judge").selectOption({ label: "Demo (offline) (made an attempt) · foreman-demo" });
  await judge.getByRole("button", { name: "Rank the attempts" }).click();
  await expect(page.getByText("The judge is on its way")).toBeVisible({ timeout: 30_000 });
  const ranking = judge.getByTestId("judge-ranking");
  await expect(ranking.getByRole("listitem")).toHaveCount(2, { timeout: 90_000 });
  await expect(ranking.getByRole("listitem").first()).toContainText("Attempt 1 (Demo (offline))judge's pick");
  await expect(ranking.getByRole("listitem").nth(1)).toContainText(`Attempt 2 (${second})`);
  await expect(judge).toContainText("offline demo model");
  await expect(page.getByTestId("attempt-1")).toContainText("judge's pick");
  // Not an attempt: still two, and the task is still in review.
  await expect(page.getByTestId("attempts").locator("thead th[scope=col]")).toHaveCount(2);
  await shots(page, "compare-judged");

  // Promote the second attempt: the first is closed with its branch.
  await page.getByRole("button", { name: `Promote Attempt 2 (${second})` }).click();
  await expect(page.getByRole("dialog")).toContainText(first);
  await page.getByRole("button", { name: "Promote and close the others" }).click();
  await expect(page.getByText("Attempt promoted; 1 other attempt was closed.")).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId("attempt-2")).toContainText("promoted");
  await expect(page.getByTestId("attempt-1")).toContainText("closed");
  await expect(page.getByRole("button", { name: /^Promote Attempt/ })).toHaveCount(0);
  const source = await demoSource(page);
  expect(gitIn(source, "branch", "--list", first)).toBe("");
  await page.goto(`${taskUrl}/compare`);
  await shots(page, "compare-promoted");
  // The closed attempt's branch is archived: its final diff stays readable, read-only.
  await page.getByRole("link", { name: "Final diff" }).click();
  await expect(page.getByTestId("archived-diff")).toContainText(`Closed when ${chosen} was promoted`, {
    timeout: 30_000,
  });
  await expect(page.getByText(file).first()).toBeVisible();
  await page.goto(`${taskUrl}/compare`);

  // The review page opens on the promoted attempt; approving and merging take it as usual.
  await page.getByRole("link", { name: "Review", exact: true }).first().click();
  await expect(page).toHaveURL(/\/review/, { timeout: 30_000 });
  const branches = page.getByRole("navigation", { name: "Agents' branches" });
  await expect(branches.getByRole("link").nth(1)).toHaveAttribute("aria-current", "true");
  await expect(branches.getByRole("link").nth(1)).toContainText("promoted");
  await expect(branches.getByRole("link").nth(0)).toContainText("closed");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved", { timeout: 30_000 });
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByRole("button", { name: "Merge into main" }).click();
  await expect(page.getByText(/^Merged into main \([0-9a-f]{7}\)/)).toBeVisible({ timeout: 30_000 });
  expect(gitIn(source, "show", `main:${file}`)).toBe(`Compared notes ${id}\n`);
  expect(gitIn(source, "log", "-1", "--format=%B", "main")).toContain(chosen);
  expect(gitIn(source, "branch", "--list", chosen, first)).toBe("");
});
