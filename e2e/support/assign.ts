// After Assign the server action creates the task, queues its run(s) and redirects. On a loaded CI machine
// (two cores, a build, other specs' agents running) that takes longer than expect's default 10 s, so the
// redirect gets 30 s. A refusal is not hidden by the wait: the failure says what the form showed.
import { expect, type Page } from "@playwright/test";

export const ASSIGN_REDIRECT_MS = 30_000;

/** Waits for the redirect after Assign (to the run page, or the task page with several agents). */
export async function expectAssigned(page: Page, url: RegExp = /\/runs\/[0-9a-f-]{36}$/) {
  try {
    await expect(page).toHaveURL(url, { timeout: ASSIGN_REDIRECT_MS });
  } catch (error) {
    const shown = (
      await page
        .locator("form [role=alert]")
        .allInnerTexts()
        .catch(() => [])
    ).filter((t) => t.trim());
    throw new Error(
      shown.length > 0
        ? `Assign did not redirect: the form says ${shown.map((t) => JSON.stringify(t)).join(", ")}`
        : `Assign did not redirect within ${ASSIGN_REDIRECT_MS / 1000} s`,
      { cause: error },
    );
  }
}
