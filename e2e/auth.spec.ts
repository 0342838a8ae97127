import { expect, test } from "@playwright/test";
import { ADMIN } from "./support/accounts";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";

test.describe("signed out", () => {
  test("visitors are redirected to sign-in, and come back where they were going", async ({ page }) => {
    await page.goto("/agents");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fagents$/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/agents$/);
  });

  test("a wrong password is refused with a clear message and keeps the email", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);
  });

  test("nobody else can found a second team", async ({ page }) => {
    await page.goto("/sign-up");
    await expect(page.getByRole("heading", { name: "Join your team" })).toBeVisible();
    await expect(page.getByLabel("Team name")).toHaveCount(0);
  });

  test("the server refuses a forged session cookie that gets past the proxy", async ({ request }) => {
    const response = await request.get("/settings/members", {
      maxRedirects: 0,
      headers: { cookie: "authjs.session-token=forged" },
    });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toContain("/sign-in");
  });
});

// Someone of their own: signing out ends every session of that person, and later specs use the admin's.
test("signing out ends the session, and a copy of the old cookie stops working", async ({ browser }) => {
  const page = await joinWithInvite(
    browser,
    await createInvite(browser, "Developer"),
    newPerson("Developer"),
  );
  const copied = await page.context().cookies();
  const copy = await browser.newContext();
  await copy.addCookies(copied);
  const elsewhere = await copy.newPage();
  await elsewhere.goto("/board");
  await expect(elsewhere).toHaveURL(/\/board$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/board");
  await expect(page).toHaveURL(/\/sign-in/);
  await elsewhere.goto("/board");
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await copy.close();
});
