// Security headers on every response, and a strict CSP the dashboard lives with: every script the server
// sends carries this response's nonce, and using the app (sign in, keyboard shortcut, navigating between
// pages, live updates) triggers no CSP violation in Chromium.
import { expect, type Page, type Response, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";
import { pressShortcut } from "./support/keyboard";

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/** Collects CSP violations reported by the page (DOM events) and by Chromium (console errors). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy"))
      fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => window.__cspViolations ?? []))];
}

function expectCommonHeaders(headers: Record<string, string>) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // The suite is served over plain http: no HSTS there.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

/** Asserts the page's headers and that every <script> in its HTML and DOM carries the CSP's nonce. */
async function expectStrictPage(page: Page, response: Response | null) {
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expectCommonHeaders(headers);
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("'strict-dynamic'");
  expect(csp).not.toContain("unsafe-eval"); // a production build
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();

  const html = (await response?.text()) ?? "";
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, tag).toContain(`nonce="${nonce}"`);

  // Chromium hides the attribute once parsed; the property keeps the value.
  const scripts = await page.evaluate(() =>
    Array.from(document.querySelectorAll("script"), (s) => ({ src: s.src || "inline", nonce: s.nonce })),
  );
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script, script.src).toEqual({ src: script.src, nonce });
  return nonce;
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page is served under the strict policy and signing in works with it", async ({
    page,
  }) => {
    const violations = await watchViolations(page);
    const first = await expectStrictPage(page, await page.goto("/sign-in"));
    // A fresh nonce per response.
    const second = await expectStrictPage(page, await page.goto("/sign-in"));
    expect(second).not.toBe(first);

    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/board$/);
    expect(await violations()).toEqual([]);
  });

  test("redirects, API responses and static files carry the headers too", async ({ page, request }) => {
    const redirect = await request.get("/board", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expect(redirect.headers().location).toContain("/sign-in");
    expectCommonHeaders(redirect.headers());

    const api = await request.get("/api/v1/agents");
    expect(api.status()).toBe(401);
    expectCommonHeaders(api.headers());

    await page.goto("/sign-in");
    const script = await page.locator("script[src]").first().getAttribute("src");
    expect(script).toMatch(/^\/_next\/static\//);
    const asset = await request.get(script ?? "");
    expect(asset.status()).toBe(200);
    expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
    expect(asset.headers()["x-frame-options"]).toBe("DENY");
  });
});

test.describe("signed in", () => {
  test.use({ storageState: ADMIN_STATE });

  test("the board, the new-task shortcut, inbox and metrics run with no CSP violation", async ({ page }) => {
    const violations = await watchViolations(page);
    await expectStrictPage(page, await page.goto("/board"));

    await pressShortcut(page, "n", /\/tasks\/new$/);
    await expect(page.getByLabel("Title")).toBeVisible();

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Inbox" }).click();
    await expect(page).toHaveURL(/\/inbox$/);
    await nav.getByRole("link", { name: "Metrics" }).click();
    await expect(page).toHaveURL(/\/metrics/);
    await nav.getByRole("link", { name: "Board" }).click();
    await expect(page).toHaveURL(/\/board$/);

    // A full load of a page with live data (SSE) and charts.
    await expectStrictPage(page, await page.goto("/metrics"));
    expect(await violations()).toEqual([]);
  });
});
