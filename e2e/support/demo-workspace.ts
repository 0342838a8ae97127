import { expect, type Page } from "@playwright/test";

/** The demo repository and agent exist (loaded here when a spec runs on a fresh instance). */
export async function ensureDemoWorkspace(page: Page) {
  await page.goto("/board");
  const load = page.getByRole("button", { name: "Load demo workspace" });
  if (await load.isVisible()) {
    await load.click();
    await expect(page).toHaveURL(/\/tasks\/new\?/);
  }
}
