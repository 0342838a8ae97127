import { expect, test } from "@playwright/test";
import pg from "pg";
import { ADMIN } from "./support/accounts";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";

// One instance founds one team; a second team (and the membership in it) is made in the database directly.
test("someone in two teams starts in the one joined last and switches with the team picker", async ({
  browser,
}) => {
  test.skip(!process.env.DATABASE_URL, "needs PostgreSQL to add a second team");
  const person = newPerson("Developer");
  const page = await joinWithInvite(browser, await createInvite(browser, "Developer"), person);
  // One team: no picker.
  await expect(page.getByLabel("Team", { exact: true })).toHaveCount(0);

  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const second = `Beta ${person.name}`;
  try {
    const { rows } = await db.query<{ id: string }>("insert into teams (name) values ($1) returning id", [
      second,
    ]);
    await db.query(
      "insert into memberships (team_id, user_id, role, created_at) select $1, id, 'viewer', now() + interval '1 second' from users where email = $2",
      [rows[0]?.id, person.email],
    );
  } finally {
    await db.end();
  }

  await page.goto("/board");
  const picker = page.getByLabel("Team", { exact: true });
  await expect(picker.locator("option:checked")).toHaveText(second);
  await expect(page.getByText(`${person.email} · Viewer`)).toBeVisible();

  await picker.selectOption({ label: ADMIN.team });
  await expect(page.getByText(`${person.email} · Developer`)).toBeVisible();
  await expect(page).toHaveURL(/\/board$/);
  // Stored on the server: a fresh page load agrees.
  await page.reload();
  await expect(page.getByLabel("Team", { exact: true }).locator("option:checked")).toHaveText(ADMIN.team);
  await page.context().close();
});
