// Review comments as on a pull request: drafts are edited and deleted; Request changes shows its result
// the moment its toast does; the follow-up run's answer is threaded under each comment it answered; a
// comment whose line moved follows it, one whose line changed is marked Outdated with the code it was
// written on; an approval carries a note into the review history. The split view keeps long lines on one
// line at 1280 px, each side scrolling sideways.
import { expect as baseExpect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { scenario } from "./support/fake-model";
import { ensureDemoWorkspace, openReview, shot } from "./support/review";

// Generous waits for the server (a busy machine answers slowly); the checks after a toast don't wait.
const expect = baseExpect.configure({ timeout: 30_000 });

test.use({ storageState: ADMIN_STATE });

const line = (n: number) => `Select line ${n} of src/math.js`;
const card = (page: Page, text: string) => page.getByTestId("review-comment").filter({ hasText: text });
/** Assigns a task on the demo repository and waits for its run to end with changes; the task page's URL. */
async function assign(page: Page, title: string, prompt: string): Promise<string> {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByTestId("status-badge").first()).toHaveText(
    /^(Changes ready|Changes, tests failed)$/,
    { timeout: 90_000 },
  );
  await page.getByRole("link", { name: new RegExp(`#\\d+ ${title}`) }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  return page.url();
}

/** Selects a line by its gutter button and saves a draft comment on it. */
async function commentOn(page: Page, lines: string[], text: string) {
  await page.getByRole("button", { name: lines[0] }).first().click();
  await page.getByTestId("selection-bar").getByRole("button", { name: "Comment" }).click();
  const form = page.getByRole("form", { name: "New comment" });
  await form.getByRole("textbox").fill(text);
  await form.getByRole("button", { name: "Add comment" }).click();
  await expect(card(page, text)).toContainText("Draft");
}

/** A header line far wider than a side of the split view at 1280 px. */
const HEADER = `// Math helpers: ${"small pure functions that the demo tests exercise, ".repeat(3).trim()}`;

test("comments: edit and delete drafts, no stale page after Request changes, the agent's answer threaded, moved and outdated comments, approve with a note", async ({
  page,
}) => {
  test.setTimeout(300_000);
  // The first run swaps multiply's factors (line 6): the diff shows lines 3–7 of src/math.js.
  const title = `Comments ${Date.now()}`;
  const taskUrl = await assign(
    page,
    title,
    `${scenario("risky", "sed -i '6s/.*/  return b * a;/' src/math.js")} Swap the factors.`,
  );
  await openReview(page, taskUrl);
  await expect(page.getByTestId("diff-scroller")).toContainText("return b * a;");

  try {
    await commentOn(page, [line(5)], "Keep multiply where it is.");
    await commentOn(page, [line(6)], "Put the factors back in order.");
    await commentOn(page, [line(7)], "Tpyo here.");
    await commentOn(page, [line(3)], "Never mind this one.");

    // Edit a draft: its author rewrites it in place.
    await card(page, "Tpyo here.").getByRole("button", { name: "Edit draft comment" }).click();
    const edit = page.getByRole("form", { name: "Edit comment" });
    await edit.getByRole("textbox").fill("Close the function on its own line.");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Draft comment updated.")).toBeVisible();
    await expect(card(page, "Close the function on its own line.")).toContainText("edited");
    await expect(card(page, "Tpyo here.")).toHaveCount(0);

    // Delete a draft.
    await card(page, "Never mind this one.").getByRole("button", { name: "Delete draft comment" }).click();
    await expect(page.getByText("Draft comment deleted.")).toBeVisible();
    await expect(card(page, "Never mind this one.")).toHaveCount(0);
    await expect(page.getByTestId("review-comment")).toHaveCount(3);

    // The follow-up inserts a long header line (every line moves down one) and changes line 6 again.
    await page.getByRole("button", { name: "Request changes (3)" }).click();
    await page
      .getByLabel(/Overall note/)
      .fill(
        `${scenario("risky", `rm -rf build && sed -i '1i ${HEADER}' src/math.js && sed -i 's/b \\* a/a * b * 1/' src/math.js`)} Tidy up.`,
      );
    await page.getByRole("button", { name: "Send to the agent" }).click();
    await expect(page.getByText("Changes requested: 3 comments sent to the agent.")).toBeVisible();
    // The moment the toast shows, so does the page: read once, no waiting or retrying.
    expect(await page.getByTestId("status-badge").first().textContent()).toBe("Changes requested");
    const badges = await page.getByTestId("review-comment").allTextContents();
    expect(badges).toHaveLength(3);
    for (const text of badges) {
      expect(text).toContain("Sent to agent");
      expect(text).not.toContain("Draft");
    }

    // The follow-up starts with a risky command (so the task stays Changes requested meanwhile): allow
    // it on the run's page; the run ends and the task is back in review.
    await page.getByRole("link", { name: "Watch the run" }).click();
    await expect(page.getByTestId("status-badge").first()).toHaveText("Waiting for approval", {
      timeout: 60_000,
    });
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.goto(`${taskUrl}/review`);
    await expect(page.getByTestId("status-badge").first()).toHaveText("In review", { timeout: 90_000 });
    await expect(page.getByTestId("diff-scroller")).toContainText("return a * b * 1;");

    // Moved: the comment on multiply's signature follows it to line 6.
    const moved = card(page, "Keep multiply where it is.");
    await expect(moved).toHaveAttribute("data-anchor", "moved");
    await expect(moved).toContainText("moved, was line 5");
    await expect(moved).toContainText("line 6");
    // Outdated: the line it was written on is gone; it shows that code.
    const outdated = page.getByTestId("outdated-comments");
    const changed = outdated
      .getByTestId("review-comment")
      .filter({ hasText: "Put the factors back in order." });
    await expect(changed).toContainText("Outdated");
    await expect(changed.getByTestId("original-context")).toContainText("> 6 |   return b * a;");
    // Threaded: each comment shows the follow-up's answer, linked to that run.
    for (const comment of [moved, changed, card(page, "Close the function on its own line.")]) {
      const answer = comment.getByTestId("comment-answer");
      await expect(answer).toContainText("Cleaned up.");
      await expect(answer.getByRole("link", { name: "Follow-up run" })).toHaveAttribute(
        "href",
        /^\/runs\/[0-9a-f-]{36}$/,
      );
    }
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(page, `review-comments-${width}`);
    }

    // Split view at 1280 px: the long header stays on one line; the new side scrolls sideways.
    await page.getByRole("link", { name: "Split" }).click();
    await expect(page).toHaveURL(/view=split/);
    const header = page.locator('[data-split-code="right"]').filter({ hasText: "Math helpers" });
    await expect(header).toBeVisible();
    expect((await header.boundingBox())?.height).toBeLessThanOrEqual(21);
    const bar = page.getByRole("region", { name: "Scroll the new side sideways" });
    const overflow = await bar.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeGreaterThan(100);
    const before = (await header.locator("span").first().boundingBox())?.x ?? 0;
    await bar.evaluate((el) => {
      el.scrollLeft = 200;
    });
    await expect
      .poll(async () => before - ((await header.locator("span").first().boundingBox())?.x ?? 0))
      .toBeGreaterThan(150);
    await shot(page, "review-split-1280");
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, "review-split-1440");
    await page.getByRole("link", { name: "Unified" }).click();

    // Approve with a note: the status shows with the toast, the note in the review history.
    await page.getByRole("button", { name: "Add a note to the approval" }).click();
    const dialog = page.getByRole("dialog", { name: "Approve with a note" });
    await dialog.getByLabel(/Note/).fill("Good enough for the demo.");
    await dialog.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByText("Approved. It can be merged now.")).toBeVisible();
    expect(await page.getByTestId("status-badge").first().textContent()).toBe("Approved");
    await expect(page.getByTestId("review-entry").first()).toContainText("Approved");
    await expect(page.getByTestId("review-entry").first()).toContainText("Good enough for the demo.");
    await shot(page, "review-approved-note");
  } finally {
    // Other specs count the open reviews: discard what this one made.
    await page.goto(`${taskUrl}/review`);
    await page.getByRole("button", { name: "Discard" }).click();
    await page.getByRole("button", { name: "Discard task" }).click();
    await expect(page.getByText("Task discarded")).toBeVisible();
  }
});
