import { expect, type Page, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE, fillSignUp, signIn, signOut } from "./support/accounts";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";

/** The page at 1440 and 1280 px, when screenshots are asked for. */
async function shots(page: Page, name: string) {
  if (!process.env.E2E_SCREENSHOTS) return;
  for (const width of [1440, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

test("an admin invites a developer, who joins, signs in again, and sees members read-only", async ({
  browser,
}) => {
  const url = await createInvite(browser, "Developer");
  const dev = newPerson("Developer");

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole("heading", { name: `Join ${ADMIN.team}` })).toBeVisible();
  await expect(page.getByText("You're invited as Developer")).toBeVisible();

  // Bad input gets a clear message and keeps what was typed.
  await fillSignUp(page, { ...dev, email: ADMIN.email });
  await page.getByRole("button", { name: "Join the team" }).click();
  await expect(page.getByText("You're already a member of this team.")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveValue(dev.name);
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);

  await page.getByLabel("Email").fill(dev.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Join the team" }).click();
  await expect(page.getByText("Password must be at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(dev.email);

  await page.getByLabel("Password").fill(dev.password);
  await page.getByRole("button", { name: "Join the team" }).click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByTestId("current-user")).toHaveText(dev.name);

  await signOut(page);
  await signIn(page, dev.email, dev.password);

  // Who is in the team, read-only: no role select, no Remove, no invites — not even in the page's data.
  // The Audit log, which only admins may open, isn't offered.
  await page.goto("/settings/members");
  const members = page.getByRole("table", { name: "Members" });
  await expect(members.getByText(ADMIN.email)).toBeVisible();
  await expect(members.getByRole("row").filter({ hasText: ADMIN.email })).toContainText("Admin");
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove|Invite/ })).toHaveCount(0);
  await expect(page.getByText("Pending invites")).toHaveCount(0);
  const settingsNav = page.getByRole("navigation", { name: "Settings" });
  await expect(settingsNav.getByRole("link", { name: "Members" })).toBeVisible();
  await expect(settingsNav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const html = await (await page.request.get("/settings/members")).text();
  expect(html).not.toContain("Pending invites");
  await page.goto("/settings/audit");
  await expect(page.getByRole("heading", { name: "You don't have access" })).toBeVisible();

  // The invite link worked once.
  const again = await browser.newContext();
  const second = await again.newPage();
  await second.goto(url);
  await expect(second.getByRole("heading", { name: "This invite link doesn't work" })).toBeVisible();
  await again.close();
  await context.close();
});

test("a viewer can't create an agent or a repository: the pages and the server refuse", async ({
  browser,
}) => {
  const viewer = await joinWithInvite(browser, await createInvite(browser, "Viewer"), newPerson("Viewer"));
  await viewer.goto("/repos/new");
  await expect(viewer.getByRole("heading", { name: /You don't have permission/ })).toBeVisible();
  await expect(viewer.getByLabel("Source")).toHaveCount(0);
  await viewer.goto("/agents/new");
  await expect(viewer.getByRole("heading", { name: /You don't have permission/ })).toBeVisible();
  await expect(viewer.getByLabel("System prompt")).toHaveCount(0);
  await viewer.goto("/agents");
  await expect(viewer.getByRole("link", { name: "Create an agent" })).toHaveCount(0);
  // Nothing will wait on a viewer: the empty inbox doesn't teach them to assign.
  await viewer.goto("/inbox");
  await expect(viewer.getByText("Nothing needs you")).toBeVisible();
  await expect(viewer.getByText(/As a viewer you follow the team's work/)).toBeVisible();
  await expect(viewer.getByText(/Assign a task/)).toHaveCount(0);
  await shots(viewer, "viewer-inbox");
  // Settings offers only what a viewer can open; Members is read-only.
  await viewer.goto("/settings/members");
  await expect(viewer.getByRole("table", { name: "Members" }).getByText(ADMIN.email)).toBeVisible();
  await expect(viewer.getByRole("combobox")).toHaveCount(0);
  await expect(viewer.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText([
    "General",
    "Members",
    "Models",
    "API tokens",
    "Your account",
  ]);
  await shots(viewer, "viewer-members");
});

test("demoting someone to viewer ends their session: the form they had open is refused", async ({
  browser,
}) => {
  const person = newPerson("Developer");
  const dev = await joinWithInvite(browser, await createInvite(browser, "Developer"), person);
  await dev.goto("/agents/new");
  await dev.getByLabel("Name").fill("Sneaky agent");

  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await admin.goto("/settings/members");
  await admin.getByLabel(`Access level for ${person.name}`).selectOption({ label: "Viewer" });
  await expect(admin.getByText(/role/i).first()).toBeVisible();
  await expect(async () => {
    await admin.reload();
    await expect(admin.getByLabel(`Access level for ${person.name}`)).toHaveValue("viewer");
  }).toPass();

  await dev.getByRole("button", { name: "Create agent" }).click();
  await expect(dev.getByText("Your session has ended. Sign in again.")).toBeVisible();
  await expect(dev.getByLabel("Name")).toHaveValue("Sneaky agent");
  await dev.goto("/agents");
  await expect(dev).toHaveURL(/\/sign-in/);
  await signIn(dev, person.email, person.password);
  await dev.goto("/agents");
  await expect(dev.getByText("Sneaky agent")).toHaveCount(0);
  await expect(dev.getByRole("link", { name: "Create an agent" })).toHaveCount(0);
});
