import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

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

test("settings: the price catalogue is seeded with the known prices per million tokens", async ({ page }) => {
  await page.goto("/settings/models");
  const row = page.getByRole("row", { name: /claude-opus-4-5/ });
  await expect(row).toContainText("$5.00");
  await expect(row).toContainText("$25.00");
  await expect(row).toContainText("$6.25");
  await expect(row).toContainText("$0.50");
});
