import { type Browser, expect, type Page } from "@playwright/test";
import { ADMIN_STATE, fillSignUp } from "./accounts";

/** As the admin, creates an invite link for the role and returns its URL. */
export async function createInvite(
  browser: Browser,
  role: "Developer" | "Viewer" | "Admin",
): Promise<string> {
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  const page = await context.newPage();
  await page.goto("/settings/members");
  await page.getByRole("button", { name: "Invite someone" }).click();
  await page.getByLabel("Role").selectOption({ label: role });
  await page.getByRole("button", { name: "Create invite link" }).click();
  const url = await page.getByTestId("invite-url").inputValue();
  expect(url).toMatch(/\/invite\/inv_/);
  await context.close();
  return url;
}

/** Opens the invite link in a fresh browser context and joins; returns the signed-in page. */
export async function joinWithInvite(
  browser: Browser,
  url: string,
  person: { name: string; email: string; password: string },
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await fillSignUp(page, person);
  await page.getByRole("button", { name: "Join the team" }).click();
  await expect(page).toHaveURL(/\/board$/);
  return page;
}

let counter = 0;
export function newPerson(role: string) {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}`;
  return {
    name: `${role} ${id}`,
    email: `${role.toLowerCase()}-${id}@example.com`,
    password: "a long password",
  };
}
