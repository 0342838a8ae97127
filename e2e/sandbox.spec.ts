import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { expectAssigned } from "./support/assign";
import { scenario } from "./support/fake-model";
import { ensureDemoWorkspace, shot } from "./support/review";

test.use({ storageState: ADMIN_STATE });

async function setNetwork(page: import("@playwright/test").Page, network: string, hosts = "") {
  await page.goto("/repos");
  await page.getByRole("link", { name: "demo-calculator" }).click();
  // The repository's page leads with its history; its settings form is behind Edit.
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Network").selectOption(network);
  if (hosts) await page.getByLabel("Allowed hosts").fill(hosts);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
}

test("a run shows its sandbox and its repository's network policy on the run page", async ({ page }) => {
  test.setTimeout(120_000);
  await ensureDemoWorkspace(page);
  // An admin lets the demo repository's runs reach one named host.
  await setNetwork(page, "allowlist", "registry.npmjs.org\nRegistry.NPMJS.org");
  await page.goto("/repos");
  await page.getByRole("link", { name: "demo-calculator" }).click();
  // The repository's page leads with its history; its settings form is behind Edit.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Allowed hosts")).toHaveValue("registry.npmjs.org");

  await page.goto("/tasks/new");
  await page.getByLabel("Repository").selectOption({ label: "demo-calculator" });
  await page.getByLabel("Agent").selectOption({ label: "Demo (offline)" });
  await page.getByLabel("Title").fill("Fix the failing test");
  // A run that writes a file, so that it has changes to verify whatever earlier specs merged into main (the
  // demo's own fix changes nothing once main holds it).
  await page
    .getByLabel("Prompt")
    .fill(`${scenario("write", "SANDBOX.md=written in the sandbox")} Fix the failing test`);
  await page.getByRole("button", { name: "Assign" }).click();
  await expectAssigned(page);
  await expect(page.getByTestId("status-badge").first()).toHaveText(
    /^(Changes ready|Changes, tests failed)$/,
    {
      timeout: 90_000,
    },
  );

  // The header and the timeline say how the commands were confined; the work and its verification ran
  // in there.
  await expect(page.getByTestId("run-sandbox")).toHaveText(
    /Sandboxed · network: named hosts\s*registry\.npmjs\.org/,
  );
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps.getByRole("listitem").filter({ hasText: "Sandboxed" })).toContainText(
    "Commands run in the OS sandbox at /workspace; network: only registry.npmjs.org.",
  );
  await expect(steps.getByRole("listitem").filter({ hasText: /Verification (passed|failed)/ })).toContainText(
    "exit code",
  );
  await expect(page.getByTestId("sandbox-banner")).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "run-sandbox");

  // Leave no open review behind (the metrics spec counts them), and the demo repository as it was.
  await page.getByRole("link", { name: /#\d+ Fix the failing test/ }).click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await page.goto(`${page.url()}/review`);
  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("button", { name: "Discard task" }).click();
  await expect(page.getByText("Task discarded")).toBeVisible();
  await setNetwork(page, "none");
});
