import { expect, type Page } from "@playwright/test";

/**
 * Presses a page-wide shortcut until it takes us to `url`. Its listener exists only once the page has
 * hydrated, and `goto` returns at the load event, which on a loaded machine can come before that.
 */
export async function pressShortcut(page: Page, key: string, url: RegExp) {
  await expect(async () => {
    await page.locator("body").press(key);
    await expect(page).toHaveURL(url, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}
