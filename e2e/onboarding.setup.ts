import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_STATE, fillSignUp } from "./support/accounts";

setup("the first person signs up and becomes the team's admin", async ({ page }) => {
  await page.goto("/board");
  // Signed out on an empty instance: sign-in forwards to the founding sign-up.
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("heading", { name: "Set up Foreman" })).toBeVisible();

  await page.getByLabel("Team name").fill(ADMIN.team);
  await fillSignUp(page, { ...ADMIN, password: "short" });
  await page.getByRole("button", { name: "Create team and account" }).click();
  await expect(page.getByText("Password must be at least 8 characters.")).toBeVisible();
  // The form keeps what was typed.
  await expect(page.getByLabel("Your name")).toHaveValue(ADMIN.name);
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);
  await expect(page.getByLabel("Team name")).toHaveValue(ADMIN.team);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create team and account" }).click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByTestId("current-user")).toHaveText(ADMIN.name);
  await expect(page.getByText("Admin", { exact: false }).first()).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });
});
