import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { fillSignUp } from "./support/accounts";
import { type AppProcess, embeddedEnv, freePort, startApp, waitUntilServing } from "./support/app-process";

function makeGitRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-repo-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  fs.writeFileSync(path.join(dir, "README.md"), "# demo\n");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}

test("with no DATABASE_URL, data survives a restart and nothing else may open the database", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-embedded-"));
  const env = embeddedEnv(dataDir);
  const repoDir = makeGitRepo();
  const person = { name: "Pat", email: "pat@example.com", password: "embedded password" };

  const apps: AppProcess[] = [];
  const port = await freePort();
  try {
    const first = startApp(port, env);
    apps.push(first);
    await waitUntilServing(first);
    const context = await browser.newContext({ baseURL: first.url });
    const page = await context.newPage();
    await page.goto("/sign-up");
    await page.getByLabel("Team name").fill("Embedded");
    await fillSignUp(page, person);
    await page.getByRole("button", { name: "Create team and account" }).click();
    await expect(page).toHaveURL(/\/board$/);

    await page.goto("/repos/new");
    await page.getByLabel("Name").fill("survivor");
    await page.getByLabel("Source").fill(repoDir);
    await page.getByLabel("Default branch").fill("main");
    await page.getByRole("button", { name: "Register repository" }).click();
    await expect(page).toHaveURL(/\/repos$/);
    await expect(page.getByRole("cell", { name: "survivor" })).toBeVisible();

    // A second server on the same folder refuses to start instead of silently losing rows.
    const second = startApp(await freePort(), env);
    apps.push(second);
    expect(
      await Promise.race([second.exited, new Promise((r) => setTimeout(() => r("running"), 45_000))]),
    ).toBe(1);
    expect(second.output()).toContain("in use by another Foreman process");

    // The operator CLI says so plainly, and does not hang.
    const cli = spawnSync(
      "node_modules/.bin/tsx",
      [
        "--conditions=react-server",
        "scripts/foreman.ts",
        "user:create",
        "--email",
        "x@example.com",
        "--password",
        "long enough",
        "--role",
        "viewer",
      ],
      { env, encoding: "utf8", timeout: 60_000 },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr + cli.stdout).toContain("in use by another Foreman process");

    await first.stop();
    const again = startApp(port, env);
    apps.push(again);
    await waitUntilServing(again);
    // Same AUTH_SECRET, so the session cookie from before the restart still signs us in.
    await page.goto("/repos");
    await expect(page.getByRole("cell", { name: "survivor" })).toBeVisible();
    await context.close();
  } finally {
    for (const app of apps) await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
