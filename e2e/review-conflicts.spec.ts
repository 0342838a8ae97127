// Merging when it can't or mustn't happen, and choosing whose work to merge: two tasks that edit the
// same line (the second merge is a conflict and the base branch stays byte for byte as it was), a viewer
// (no controls, and the server refuses the action and the API), and a task assigned to two agents.
import fs from "node:fs";
import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { scenario } from "./support/fake-model";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";
import { assignTask, demoSource, ensureDemoWorkspace, gitIn, openReview, shot } from "./support/review";

test.use({ storageState: ADMIN_STATE });

const idOf = (taskUrl: string) => taskUrl.split("/").at(-1) ?? "";

async function approveAndMerge(page: Page) {
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved");
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByRole("button", { name: "Merge into main" }).click();
}

test("two tasks edit the same line: the second merge is a conflict, main is left byte for byte as it was", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const id = Date.now();
  const one = await assignTask(page, {
    title: `Retitle the README ${id}`,
    prompt: `${scenario("write", `README.md=# demo-calculator, retitled by task one ${id}`)} Retitle it.`,
  });
  const two = await assignTask(page, {
    title: `Retitle the README too ${id}`,
    prompt: `${scenario("write", `README.md=# demo-calculator, retitled by task two ${id}`)} Retitle it.`,
  });

  // Before either merges, the board predicts the conflict on both cards, naming the other task.
  await page.goto("/board");
  const card = (title: string) => page.getByRole("article", { name: new RegExp(`^#\\d+ ${title}$`) });
  const numberOf = async (title: string) => (await card(title).getAttribute("data-task-number")) ?? "";
  const [oneNumber, twoNumber] = [
    await numberOf(`Retitle the README ${id}`),
    await numberOf(`Retitle the README too ${id}`),
  ];
  await expect(card(`Retitle the README ${id}`).getByTestId("card-overlap")).toHaveText(
    `Overlaps #${twoNumber} in README.md: conflict predicted`,
    { timeout: 30_000 },
  );
  await expect(card(`Retitle the README too ${id}`).getByTestId("card-overlap")).toHaveText(
    `Overlaps #${oneNumber} in README.md: conflict predicted`,
  );
  await shot(page, "board-predicted-conflict");
  // The task page says it too, linking the other task.
  await card(`Retitle the README too ${id}`)
    .getByRole("link", { name: /Retitle the README too/ })
    .click();
  await expect(page.getByTestId("overlap")).toHaveText(
    `#${oneNumber} Retitle the README ${id} conflict predicted in README.md`,
  );

  await openReview(page, one);
  await approveAndMerge(page);
  await expect(page.getByText(/^Merged into main/)).toBeVisible({ timeout: 30_000 });

  const source = await demoSource(page);
  const readme = path.join(source, "README.md");
  const before = {
    head: gitIn(source, "rev-parse", "main"),
    tree: gitIn(source, "ls-tree", "-r", "main"),
    file: fs.readFileSync(readme),
    status: gitIn(source, "status", "--porcelain"),
  };
  expect(before.file.toString()).toContain(`retitled by task one ${id}`);

  await openReview(page, two);
  // main moved under task two: the conflict is predicted before anyone tries the merge, with the offer to
  // hand it back to the agent (the merge below shows what happens when nobody does).
  await expect(page.getByTestId("base-conflict")).toContainText("merging now would conflict in README.md", {
    timeout: 30_000,
  });
  await expect(page.getByRole("button", { name: "Ask the agent to merge main and resolve" })).toBeVisible();
  await approveAndMerge(page);
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("alert")).toHaveText(
    /^Merge conflict in README\.md\. Nothing changed in main\./,
    {
      timeout: 30_000,
    },
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Conflict");
  await expect(page.getByTestId("conflict-files")).toHaveText("README.md");
  await expect(page.getByRole("button", { name: "Ask the agent to resolve" })).toBeVisible();
  await shot(page, "review-conflict");

  // The repository, read with git: main, its tree, the checked-out file and the working tree unchanged.
  expect(gitIn(source, "rev-parse", "main")).toBe(before.head);
  expect(gitIn(source, "ls-tree", "-r", "main")).toBe(before.tree);
  expect(fs.readFileSync(readme).equals(before.file)).toBe(true);
  expect(gitIn(source, "status", "--porcelain")).toBe(before.status);
});

/** A viewer who joined through an invite, with an API token of their own. */
async function viewerWithToken(browser: Browser) {
  const page = await joinWithInvite(browser, await createInvite(browser, "Viewer"), newPerson("Viewer"));
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("viewer script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^fm_/);
  return { page, token };
}

test("a viewer sees no approve, merge or discard controls, and the server refuses them all the same", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const taskUrl = await assignTask(page, {
    title: `Not for viewers ${Date.now()}`,
    prompt: `${scenario("lines", "4")} Write four lines.`,
  });
  const taskId = idOf(taskUrl);
  const viewer = await viewerWithToken(browser);

  await openReview(viewer.page, taskUrl);
  await expect(viewer.page.getByTestId("diff-scroller")).toContainText("generated line 4");
  for (const name of ["Approve", "Merge", "Discard", "Request changes"]) {
    await expect(viewer.page.getByRole("button", { name })).toHaveCount(0);
  }
  // A viewer can select a line (and see who wrote it) but not comment.
  await viewer.page.getByRole("button", { name: "Select line 1 of generated.txt" }).click();
  await expect(viewer.page.getByTestId("provenance")).toContainText("was written in");
  await expect(viewer.page.getByTestId("selection-bar").getByRole("button", { name: "Comment" })).toHaveCount(
    0,
  );
  await shot(viewer.page, "review-viewer");

  // The server action itself: the admin's Approve request, captured before it leaves the browser and
  // sent again with the viewer's session, is refused.
  await openReview(page, taskUrl);
  const captured = new Promise<{ url: string; headers: Record<string, string>; body: Buffer }>((resolve) => {
    void page.route(/\/review(\?.*)?$/, async (route) => {
      const request = route.request();
      if (request.method() !== "POST") return route.continue();
      resolve({
        url: request.url(),
        headers: request.headers(),
        body: request.postDataBuffer() ?? Buffer.from(""),
      });
      await route.abort();
    });
  });
  await page.getByRole("button", { name: "Approve" }).click();
  const action = await captured;
  // The viewer's own cookies go with the viewer's context; the rest is the admin's request as sent.
  const { cookie: _admins, "content-length": _length, host: _host, ...headers } = action.headers;
  const replayed = await viewer.page.request.post(action.url, { headers, data: action.body });
  expect(await replayed.text()).toContain("Your role (viewer) can't do that.");
  await page.unrouteAll({ behavior: "ignoreErrors" });

  // The REST API with the viewer's token.
  const auth = { Authorization: `Bearer ${viewer.token}` };
  for (const verb of ["approve", "merge", "discard", "request-changes"]) {
    const refused = await viewer.page.request.post(`/api/v1/tasks/${taskId}/${verb}`, {
      headers: auth,
      data: verb === "request-changes" ? { body: "no" } : {},
    });
    expect(refused.status(), verb).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
  }
  const task = await viewer.page.request.get(`/api/v1/tasks/${taskId}`, { headers: auth });
  expect((await task.json()).task.status).toBe("in_review");
  await openReview(page, taskUrl);
  await expect(page.getByTestId("status-badge").first()).toHaveText("In review");
  await viewer.page.context().close();
});

test("assigned to two agents: the reviewer picks whose branch to review and merge; the other is closed", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await ensureDemoWorkspace(page);
  const id = Date.now();
  const second = `Second opinion ${id}`;
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(second);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).not.toHaveURL(/\/agents\/new$/);

  const file = `notes-${id}.md`;
  const taskUrl = await assignTask(page, {
    title: `Two takes on notes ${id}`,
    prompt: `${scenario("write", `${file}=Notes for the calculator`)} Write the notes.`,
    alsoAgent: second,
  });
  await page.goto(`${taskUrl}/review`);
  const branches = page.getByRole("navigation", { name: "Agents' branches" });
  await expect(async () => {
    await page.reload();
    await expect(branches.getByText(/^(Changes ready|Changes, tests failed)$/)).toHaveCount(2, {
      timeout: 1000,
    });
  }).toPass({ timeout: 90_000 });
  const choices = branches.getByRole("link");
  await expect(choices).toHaveCount(2);
  await expect(choices.nth(0)).toContainText("Demo (offline)");
  await expect(choices.nth(1)).toContainText(second);

  // Review the second agent's branch: the URL, the branch line and the diff follow the choice.
  await choices.nth(1).click();
  await expect(page).toHaveURL(/[?&]run=[0-9a-f-]{36}/);
  await expect(choices.nth(1)).toHaveAttribute("aria-current", "true");
  const chosen = (await choices.nth(1).getAttribute("title")) ?? "";
  const other = (await choices.nth(0).getAttribute("title")) ?? "";
  expect(chosen).toMatch(/^foreman\/\d+-/);
  await expect(page.getByText(`main ← ${chosen}`)).toBeVisible();
  await expect(page.getByTestId("diff-scroller")).toContainText("Notes for the calculator");
  await shot(page, "review-branches");

  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveText("Approved");
  await expect(choices.nth(1)).toContainText("approved");
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  // Before merging, the dialog says the other agent's branch will be closed.
  await expect(page.getByTestId("closes-branches")).toContainText(other);
  await shot(page, "review-merge-closes");
  await page.getByRole("button", { name: "Merge into main" }).click();
  await expect(
    page.getByText(/^Merged into main \([0-9a-f]{7}\)\. The other agent's branch was closed\.$/),
  ).toBeVisible({
    timeout: 30_000,
  });

  const source = await demoSource(page);
  expect(gitIn(source, "show", `main:${file}`)).toBe("Notes for the calculator\n");
  expect(gitIn(source, "log", "-1", "--format=%B", "main")).toContain(chosen);
  expect(gitIn(source, "branch", "--list", chosen, other)).toBe("");
});
