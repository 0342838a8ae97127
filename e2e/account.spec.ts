import { expect, test } from "@playwright/test";
import { signIn } from "./support/accounts";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";

// A person of its own: ADMIN's password and storage state are shared by the other specs.
test("changing the password signs the person out everywhere; only the new password signs in", async ({
  browser,
}) => {
  const viewer = newPerson("Viewer");
  const first = await joinWithInvite(browser, await createInvite(browser, "Viewer"), viewer);
  const second = await (await browser.newContext()).newPage();
  await signIn(second, viewer.email, viewer.password);

  // Every role has the page, in the settings nav.
  await first.goto("/settings/general");
  await first
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", { name: "Your account" })
    .click();
  await expect(first).toHaveURL(/\/settings\/account$/);
  await expect(first.getByText(viewer.email, { exact: true })).toBeVisible();

  const newPassword = "an entirely new passphrase";
  await first.getByLabel("Current password").fill("not the password");
  await first.getByLabel("New password", { exact: true }).fill(newPassword);
  await first.getByLabel("New password again").fill(newPassword);
  await first.getByRole("button", { name: "Change password" }).click();
  await expect(first.getByText("That isn't your current password.")).toBeVisible();

  await first.getByLabel("Current password").fill(viewer.password);
  await first.getByLabel("New password", { exact: true }).fill("short");
  await first.getByLabel("New password again").fill("short");
  await first.getByRole("button", { name: "Change password" }).click();
  await expect(first.getByText("Password must be at least 8 characters.")).toBeVisible();

  await first.getByLabel("Current password").fill(viewer.password);
  await first.getByLabel("New password", { exact: true }).fill(newPassword);
  await first.getByLabel("New password again").fill(newPassword);
  await first.getByRole("button", { name: "Change password" }).click();
  await expect(first).toHaveURL(/\/sign-in\?notice=password-changed$/);
  await expect(first.getByText("Sign in with your new password.")).toBeVisible();

  // The other browser, signed in before the change, is out at its next navigation.
  await second.goto("/board");
  await expect(second).toHaveURL(/\/sign-in/);
  await expect(second.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await first.getByLabel("Email").fill(viewer.email);
  await first.getByLabel("Password").fill(viewer.password);
  await first.getByRole("button", { name: "Sign in" }).click();
  await expect(first.getByText("Wrong email or password.")).toBeVisible();
  await signIn(first, viewer.email, newPassword);
  await expect(first.getByTestId("current-user")).toHaveText(viewer.name);

  await first.context().close();
  await second.context().close();
});
