import { expect, type Page } from "@playwright/test";

export const ADMIN = {
  name: "Ada Admin",
  email: "ada@example.com",
  password: "correct horse battery",
  team: "Acme",
};
export const ADMIN_STATE = "e2e/.auth/admin.json";

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/board$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Fills the sign-up form (founding or invited); the team name field only exists when founding. */
export async function fillSignUp(page: Page, person: { name: string; email: string; password: string }) {
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
}
