import { expect, type Page } from "@playwright/test";

/**
 * Presses a page-wide shortcut until `takes` passes. Its listener exists only once the page has hydrated,
 * and `goto` returns at the load event, which on a loaded machine can come before that.
 */
export async function pressShortcut(page: Page, key: string, takes: RegExp | (() => Promise<void>)) {
  const check = typeof takes === "function" ? takes : () => expect(page).toHaveURL(takes, { timeout: 1_000 });
  await expect(async () => {
    await page.locator("body").press(key);
    await check();
  }).toPass({ timeout: 20_000 });
}
