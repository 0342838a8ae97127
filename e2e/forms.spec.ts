import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { ensureDemoWorkspace } from "./support/demo-workspace";

test.use({ storageState: ADMIN_STATE });

test("a repository path that is not a git repository is refused, and the form keeps its values", async ({
  page,
}) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-not-git-"));
  await page.goto("/repos/new");
  await page.getByLabel("Name").fill("not-a-repo");
  await page.getByLabel("Source").fill(folder);
  await page.getByLabel("Default branch").fill("main");
  await page.getByLabel("Test command").fill("npm test");
  await page.getByRole("button", { name: "Register repository" }).click();
  await expect(page.getByText(`${folder} is not a git repository`)).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("not-a-repo");
  await expect(page.getByLabel("Source")).toHaveValue(folder);
  await expect(page.getByLabel("Test command")).toHaveValue("npm test");
  await page.goto("/repos");
  await expect(page.getByText("not-a-repo")).toHaveCount(0);
});

test("an agent with a max cost below zero is refused, and the form keeps its values", async ({ page }) => {
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill("Careful agent");
  await page.getByLabel("System prompt").fill("Be careful.");
  await page.getByLabel("Max cost (USD)").fill("-1");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByText("Max cost can't be below zero.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Careful agent");
  await expect(page.getByLabel("System prompt")).toHaveValue("Be careful.");
  await expect(page.getByLabel("Max cost (USD)")).toHaveValue("-1");

  await page.getByLabel("Max cost (USD)").fill("2.5");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).toHaveURL(/\/agents/);
  await expect(page.getByRole("link", { name: "Careful agent" })).toBeVisible();
});

test("a base branch the repository doesn't have is refused at its field, and the form keeps its values", async ({
  page,
}) => {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Title").fill("Start from a gone branch");
  await page.getByLabel("Prompt").fill("Do it.");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  // A branch listed when the form opened and deleted before it was sent.
  await page.getByLabel("Base branch").evaluate((select: HTMLSelectElement) => {
    select.append(new Option("deleted-meanwhile", "deleted-meanwhile"));
    select.value = "deleted-meanwhile";
  });
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByText("demo-calculator has no branch named 'deleted-meanwhile'.")).toBeVisible();
  await expect(page.getByLabel("Base branch")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Base branch")).toHaveValue("deleted-meanwhile");
  await expect(page.getByLabel("Title")).toHaveValue("Start from a gone branch");
  await expect(page.getByLabel("Prompt")).toHaveValue("Do it.");
  await expect(page).toHaveURL(/\/tasks\/new$/);
});

test("a budget that isn't a number is refused at its field, not taken as empty, and the form keeps its values", async ({
  page,
}) => {
  await ensureDemoWorkspace(page);
  await page.goto("/tasks/new");
  await page.getByLabel("Title").fill("Spend a typo");
  await page.getByLabel("Prompt").fill("Do it.");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Max steps").fill("12");
  // Text the number input can't read ("1e"): the browser's value for it is "", as for an empty field.
  const cost = page.getByLabel("Max cost (USD)");
  await cost.click();
  await page.keyboard.type("1e");
  expect(await cost.evaluate((input: HTMLInputElement) => input.validity.badInput)).toBe(true);
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByText("Max cost must be a number.")).toBeVisible();
  await expect(cost).toHaveAttribute("aria-invalid", "true");
  await expect(cost).toBeFocused();
  // Nothing was sent: everything typed is still there, the unreadable text too.
  expect(await cost.evaluate((input: HTMLInputElement) => input.validity.badInput)).toBe(true);
  await expect(page.getByLabel("Title")).toHaveValue("Spend a typo");
  await expect(page.getByLabel("Prompt")).toHaveValue("Do it.");
  await expect(page.getByLabel("Max steps")).toHaveValue("12");
  await expect(page).toHaveURL(/\/tasks\/new$/);
  await page.goto("/board");
  await expect(page.getByRole("article", { name: /Spend a typo$/ })).toHaveCount(0);
});

test("settings: the price catalogue is seeded with the known prices per million tokens", async ({ page }) => {
  await page.goto("/settings/models");
  const row = page.getByRole("row", { name: /claude-opus-4-5/ });
  await expect(row).toContainText("$5.00");
  await expect(row).toContainText("$25.00");
  await expect(row).toContainText("$6.25");
  await expect(row).toContainText("$0.50");
});

test("settings: the catalogue has the current models, with Haiku 5.5's long-prompt tier", async ({
  page,
}) => {
  await page.goto("/settings/models");
  const sonnet = page.getByRole("row", { name: /claude-sonnet-5-5/ });
  for (const price of ["$2.00", "$10.00", "$2.50", "$0.10"]) await expect(sonnet).toContainText(price);
  const haiku = page.getByRole("row", { name: /claude-haiku-5-5/ });
  await expect(haiku).toContainText("$0.10");
  await expect(haiku.getByTestId("long-prompt-tier")).toHaveText(
    "Prompts over 100K tokens: $0.50 / $2.50 / $0.625 / $0.05",
  );
  await expect(
    page.getByRole("row", { name: /claude-sonnet-4-5/ }).getByTestId("model-retirement"),
  ).toContainText("30 Nov 2026");
});

test("a new agent starts on a current model; one on a retiring model is flagged in the form and the list", async ({
  page,
}) => {
  await page.goto("/agents/new");
  const model = page.getByLabel("Model");
  await expect(model).toHaveValue("claude-sonnet-5-5");
  await expect(page.getByTestId("model-retirement")).toHaveCount(0);
  await expect(
    model.locator("option", { hasText: /claude-sonnet-4-5 \(retire[sd] 30 Nov 2026\)/ }),
  ).toHaveCount(1);

  await model.selectOption("claude-sonnet-4-5");
  await expect(page.getByTestId("model-retirement")).toHaveText(
    /claude-sonnet-4-5 retire(s on 30 Nov 2026 — switch|d on 30 Nov 2026: its runs fail\. Switch) this agent to a current model\./,
  );
  const name = `Old timer ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create agent" }).click();
  // The list says so, then drops ?created= from the URL at once: wait for what the person sees.
  await expect(page.getByText("Agent created.")).toBeVisible();
  await expect(page).toHaveURL(/\/agents(\?.*)?$/);
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row.getByTestId("model-retirement")).toContainText("claude-sonnet-4-5 retire");
  await expect(row.getByTestId("model-retirement")).toContainText("30 Nov 2026");
});

test("settings: a model priced by prompt length gets a long-prompt tier; a half-filled tier is refused at its field", async ({
  page,
}) => {
  const model = `acme-tiered-${Date.now()}`;
  await page.goto("/settings/models");
  await page.getByRole("button", { name: "Add model" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("#model").fill(model);
  for (const [id, value] of <[string, string][]>[
    ["inputPerMtok", "1"],
    ["outputPerMtok", "5"],
    ["cacheWritePerMtok", "1.25"],
    ["cacheReadPerMtok", "0.1"],
  ])
    await dialog.locator(`#${id}`).fill(value);
  await dialog.getByText("Long-prompt prices (optional)").click();
  await dialog.locator("#longPromptAboveTokens").fill("200000");
  await dialog.locator("#longInputPerMtok").fill("2");
  await dialog.getByRole("button", { name: "Add model" }).click();
  await expect(
    dialog.getByText("Enter this price too: a long-prompt tier needs all four.").first(),
  ).toBeVisible();
  // The form kept what was typed, the tier still open.
  await expect(dialog.locator("#longInputPerMtok")).toHaveValue("2");
  for (const [id, value] of <[string, string][]>[
    ["longOutputPerMtok", "10"],
    ["longCacheWritePerMtok", "2.5"],
    ["longCacheReadPerMtok", "0.2"],
  ])
    await dialog.locator(`#${id}`).fill(value);
  await dialog.getByRole("button", { name: "Add model" }).click();
  await expect(page.getByText(`${model} added to the catalogue.`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(model) }).getByTestId("long-prompt-tier")).toHaveText(
    "Prompts over 200K tokens: $2.00 / $10.00 / $2.50 / $0.20",
  );
});

test("settings: the team's runs at once is refused out of range at its field, then saved; an agent's is on its form", async ({
  page,
}) => {
  await page.goto("/settings/general");
  const form = page.getByRole("form", { name: "Runs at once" });
  const field = form.getByLabel("Runs at once");
  await expect(field).toHaveValue("50");
  await field.fill("0");
  await form.getByRole("button", { name: "Save cap" }).click();
  await expect(form.getByText("At least 1 run at once.")).toBeVisible();
  await expect(field).toHaveValue("0");
  await field.fill("12");
  await form.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByText("Run cap saved")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("form", { name: "Runs at once" }).getByLabel("Runs at once")).toHaveValue("12");
  // Back to the default, so other specs run with the usual capacity.
  await page.getByRole("form", { name: "Runs at once" }).getByLabel("Runs at once").fill("");
  await page.getByRole("form", { name: "Runs at once" }).getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByText("Run cap saved")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("form", { name: "Runs at once" }).getByLabel("Runs at once")).toHaveValue("50");

  await page.goto("/agents/new");
  await expect(page.getByLabel("Runs at once")).toHaveValue("50");
  await page.getByLabel("Runs at once").fill("1001");
  await page.getByLabel("Name").fill(`Capped ${Date.now()}`);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByText("Runs at once can be at most 1,000.")).toBeVisible();
});
