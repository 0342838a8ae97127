// The metrics page over the hand-computed fixture of lib/metrics/fixture.ts (its numbers are worked out in
// lib/metrics/metrics.test.ts): the page shows them, with keyboard-reachable definitions; charts render and
// every number links to the runs behind it; grouping and range change them; the CSV holds the same numbers;
// the spend cap refuses a new run and every open meter follows it live.
//
// The fixture is loaded by the server itself, through the e2e-only hook (lib/metrics/e2e-hook.ts): on the
// embedded database only the server's process may open it, so this works on PGlite and PostgreSQL alike.
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { formatUsd } from "@/lib/format";
import { ADMIN_STATE, signIn } from "./support/accounts";

test.use({ storageState: ADMIN_STATE });
// In order, one fixture for the fixture's tests: after a failure the rest are skipped, not re-seeded.
test.describe.configure({ mode: "serial" });

const kpi = (page: Page, name: string) => page.locator(`[data-kpi="${name}"] [data-kpi-value]`);
const BOB = { email: "bob-metrics@example.com", password: "correct horse battery" };

/** Screenshots for a person to look at, when E2E_SCREENSHOTS names a folder. */
async function shot(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split("\r\n");
  const names = (header ?? "").split(",");
  // The fixture has no commas or quotes in its values.
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
}

test("after a demo run, the page and the CSV agree on runs and spend, and the charts render", async ({
  page,
}) => {
  // Other specs' runs may still be finishing: compare once the two reads agree.
  await expect(async () => {
    await page.goto("/metrics?range=7d");
    const runs = Number((await kpi(page, "runs").textContent()) ?? "");
    expect(runs).toBeGreaterThanOrEqual(1); // the demo run of demo-run.spec.ts
    const spend = (await kpi(page, "spend").textContent()) ?? "";
    const rows = parseCsv(await (await page.request.get("/api/metrics/runs.csv?range=7d")).text());
    expect(rows).toHaveLength(runs);
    const total = rows.reduce((sum, row) => sum + Number(row.cost_usd || 0), 0);
    expect(formatUsd(Math.round(total * 1e6) / 1e6)).toBe(spend);
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("leaderboard").locator('[data-row="Demo (offline)"]')).toBeVisible();
  for (const chart of [
    "spend-per-day",
    "runs-and-success-rate-per-day",
    "run-duration-p50-and-p90",
    "review-turnaround",
  ]) {
    await expect(page.locator(`svg[data-chart="chart-${chart}"]`)).toBeVisible();
  }
});

test.describe("over the hand-computed fixture", () => {
  const WEEK = "from=2026-11-14&to=2026-11-20";
  let hook: APIRequestContext;
  const call = async (action: string) => {
    const response = await hook.post("/api/e2e/metrics-fixture", { data: { action } });
    expect(response.status(), await response.text()).toBe(200);
  };

  test.beforeAll(async ({ playwright, baseURL }) => {
    hook = await playwright.request.newContext({ baseURL, storageState: ADMIN_STATE });
    await call("load");
  });

  test.afterAll(async () => {
    // Never leave a cap behind for the specs that run after this one.
    await call("clear-cap");
    await hook.dispose();
  });

  test("the page shows the fixture's numbers, with definitions a keyboard reaches", async ({ page }) => {
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await expect(page.getByRole("heading", { name: "Metrics", exact: true })).toBeVisible();
    const spend = page.locator('[data-kpi="spend"]');
    await expect(kpi(page, "spend")).toHaveText("$0.68"); // $0.6765
    await expect(spend).toContainText("2 runs on unpriced models: cost unknown, not included");
    await expect(kpi(page, "runs")).toHaveText("10");
    await expect(page.locator('[data-kpi="runs"]')).toContainText(
      "7 changes ready (70%) · 0 no changes · 0 blocked · 3 failed",
    );
    await expect(kpi(page, "successRate")).toHaveText("50%");
    await expect(page.locator('[data-kpi="successRate"]')).toContainText("3 of 6 · 95% 19%–81%");
    await expect(kpi(page, "duration")).toHaveText("10 min");
    await expect(page.locator('[data-kpi="duration"]')).toContainText("p90 30 min");
    await expect(kpi(page, "costPerMergedChange")).toHaveText("$0.03*"); // $0.031, T9 ran unpriced
    await expect(page.locator('[data-kpi="costPerMergedChange"]')).toContainText(
      "at least: 1 of 3 merged ran on an unpriced model",
    );
    // The previous week held one $0.15 run: spend +351%, runs +900%.
    await expect(spend.locator("[data-change]")).toHaveText("+351%");
    await expect(spend).toContainText("vs $0.15 before");
    await expect(page.locator('[data-kpi="runs"] [data-change]')).toHaveText("+900%");

    // A definition opens on keyboard focus, the same words as docs/metrics.md, and closes on Escape.
    const trigger = page.locator('[data-kpi="successRate"] [data-definition="successRate"]');
    await trigger.focus();
    await expect(page.getByRole("tooltip")).toContainText("Merged ÷ tasks that ended in the period");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("tooltip")).toHaveCount(0);
    // Tab on: past the tile's number (a link to its runs) to the next tile's definition.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("tooltip")).toContainText("Wall time of a run, from queued to finished");

    // Where the time goes: averages over the 9 runs that ran.
    const parts = page.getByTestId("duration-parts");
    await expect(parts.locator('[data-part="avgQueueMs"]')).toHaveText("13 s"); // 120 s / 9
    await expect(parts.locator('[data-part="avgModelMs"]')).toHaveText("7.2 min"); // 3 900 s / 9
    await expect(parts.locator('[data-part="avgToolMs"]')).toHaveText("4.2 min"); // 2 290 s / 9
    await expect(parts.locator('[data-part="avgHumanMs"]')).toHaveText("13 s"); // 120 s / 9
    await parts.locator('[data-definition="durationParts"]').focus();
    await expect(page.getByRole("tooltip")).toContainText("Queue wait is queued → started");

    const leaderboard = page.getByTestId("leaderboard");
    await expect(leaderboard.locator("tbody tr").first()).toHaveAttribute("data-row", "Fixer");
    await expect(leaderboard.locator('[data-row="Fixer"] [data-cell="success"]')).toHaveText("100%");
    await expect(leaderboard.locator('[data-row="Fixer"]')).toContainText("3/3");
    await expect(leaderboard.locator('[data-row="Fixer"] [data-cell="interval"]')).toHaveText("44–100%");
    await expect(leaderboard.locator('[data-row="Fixer"] [data-cell="cost-per-merged"]')).toHaveText(
      "$0.03*",
    );
    await expect(leaderboard.locator('[data-row="Fixer"] [data-cell="duration"]')).toHaveText("15 min");
    await expect(leaderboard.locator('[data-row="Builder"] [data-cell="success"]')).toHaveText("0%");
    await expect(leaderboard.locator('[data-row="Builder"]')).toContainText("0/3");
    await expect(leaderboard.locator('[data-row="Builder"] [data-cell="verification"]')).toHaveText("50%");
    await expect(leaderboard.locator('[data-row="Builder"]')).toContainText("1/2"); // tests run, passed
    await expect(leaderboard.locator('[data-row="Builder"] [data-cell="runs"]')).toHaveText("4 runs");

    const review = page.getByTestId("review-process");
    await expect(review.locator('[data-stat="reviews"]')).toHaveText("5 reviews in this period");
    await expect(review.locator('[data-stat="timeToFirstReview"]')).toHaveText("1 h");
    await expect(review.locator('[data-stat="reviewTurnaround"]')).toHaveText("1 h / 1.6 h"); // p90 5.76M ms
    await expect(review.locator('[data-stat="timeInReview"]')).toHaveText("2.7 h"); // 2 h 40 min
    await expect(review.locator('[data-stat="reviewRounds"]')).toHaveText("1.67");
    await expect(review.locator('[data-stat="firstTryMergeRate"]')).toHaveText("33%");
    await expect(review.locator('[data-stat="humanReviewTime"]')).toHaveText("1.9 h"); // 6.84M ms
    const waiting = page.getByTestId("open-reviews");
    await expect(waiting.locator('[data-open-reviews="Ada Admin"]')).toHaveText("1");
    await waiting.locator('[data-definition="openReviews"]').focus();
    await expect(page.getByRole("tooltip")).toContainText("Tasks in review right now, per reviewer");

    // Four charts; the spend chart has one bar per day with spend (15th to 19th), with tooltips.
    for (const chart of [
      "spend-per-day",
      "runs-and-success-rate-per-day",
      "run-duration-p50-and-p90",
      "review-turnaround",
    ]) {
      await expect(page.locator(`svg[data-chart="chart-${chart}"]`)).toBeVisible();
    }
    const spendBars = page.locator('svg[data-chart="chart-spend-per-day"] rect');
    await expect(spendBars).toHaveCount(5);
    await expect(spendBars.nth(2).locator("title")).toHaveText("2026-11-17 · Builder: $0.49");
    const successPoints = page.locator(
      'svg[data-chart="chart-runs-and-success-rate-per-day"] [data-line="Success rate"] circle',
    );
    await expect(successPoints).toHaveCount(5);
    await shot(page, "metrics-week-by-agent");
  });

  test("every number links to the runs behind it", async ({ page }) => {
    const rows = page.getByTestId("metric-runs").locator("tbody tr");
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await kpi(page, "runs").click();
    await expect(page).toHaveURL(/\/metrics\/runs\?/);
    await expect(rows).toHaveCount(10);
    await expect(page.getByText("10 runs, $0.68")).toBeVisible();
    await shot(page, "metrics-runs");

    // The success rate of the 18th: the tasks that ENDED that day (T4 discarded, T8 cancelled mid-run —
    // edited on the 20th, it still ended on the 18th), not the runs queued that day.
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await page.getByRole("link", { name: "2026-11-18 Success rate: 0%" }).click();
    await expect(page).toHaveURL(/scope=ended&day=2026-11-18/);
    await expect(page.getByText("Runs of the tasks that ended on 2026-11-18")).toBeVisible();
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "Cancelled mid-run" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "Unpriced and discarded" })).toHaveCount(1);

    // The turnaround of the 19th: the two reviewed runs of T9, with their turnarounds.
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await page.getByRole("link", { name: "2026-11-19 Reviews: 2" }).click();
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("1 h"); // R11 reviewed an hour after it finished
    await expect(rows.last()).toContainText("40 min");

    // Human review time per merged change: the five runs of the three merged tasks.
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await page.getByTestId("review-process").locator('[data-stat="humanReviewTime"]').click();
    await expect(page.getByText("Runs of the tasks merged 2026-11-14 – 2026-11-20")).toBeVisible();
    await expect(rows).toHaveCount(5);

    // A leaderboard median duration: the agent's runs queued in the period.
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await page.getByTestId("leaderboard").locator('[data-row="Builder"] [data-cell="duration"]').click();
    await expect(page.getByText("Runs queued 2026-11-14 – 2026-11-20, agent Builder")).toBeVisible();
    await expect(rows).toHaveCount(4);
  });

  test("grouping by model and a custom range change the numbers", async ({ page }) => {
    await page.goto(`/metrics?${WEEK}&group=agent`);
    await page.getByTestId("group-model").click();
    await expect(page).toHaveURL(/group=model/);
    const groups = page.getByTestId("groups");
    await expect(groups.locator('[data-row="claude-haiku-4-5"] [data-cell="spend"]')).toHaveText("$0.10");
    await expect(groups.locator('[data-row="claude-sonnet-4-5"] [data-cell="spend"]')).toHaveText("$0.58");
    await expect(groups.locator('[data-row="acme-coder-1"] [data-cell="spend"]')).toHaveText("$0.00");
    await expect(groups.locator('[data-row="acme-coder-1"]')).toContainText("+unpriced");
    // T9 belongs to acme-coder-1 (its latest run's model): 1 of 2 ended tasks merged.
    await expect(groups.locator('[data-row="acme-coder-1"] [data-cell="success"]')).toHaveText("50%");
    await expect(kpi(page, "spend")).toHaveText("$0.68");
    await shot(page, "metrics-week-by-model");
    // The runs behind that 50%: every run of T4 and T9, the haiku run of T9 included.
    await groups.locator('[data-row="acme-coder-1"] [data-cell="success"]').click();
    await expect(
      page.getByText("Runs of the tasks that ended 2026-11-14 – 2026-11-20, model acme-coder-1"),
    ).toBeVisible();
    await expect(page.getByTestId("metric-runs").locator("tbody tr")).toHaveCount(3);

    // A one-day custom range through the form.
    await page.goto(`/metrics?${WEEK}&group=model`);
    await page.getByRole("textbox", { name: "From", exact: true }).fill("2026-11-16");
    await page.getByRole("textbox", { name: "To", exact: true }).fill("2026-11-16");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/from=2026-11-16&to=2026-11-16/);
    await expect(kpi(page, "runs")).toHaveText("2");
    await expect(kpi(page, "spend")).toHaveText("$0.05"); // $0.051
    await expect(kpi(page, "successRate")).toHaveText("100%");
  });

  test("the 7, 30 and 90 day presets each show their own period, as the CSV does", async ({ page }) => {
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    let before = -1;
    for (const [preset, days] of [
      ["7d", 7],
      ["30d", 30],
      ["90d", 90],
    ] as const) {
      await page.goto("/metrics?range=7d&group=agent");
      await page.getByTestId(`range-${preset}`).click();
      await expect(page).toHaveURL(new RegExp(`range=${preset}`));
      await expect(page.getByTestId(`range-${preset}`)).toHaveAttribute("aria-current", "page");
      await expect(page.getByRole("textbox", { name: "From", exact: true })).toHaveValue(day(days - 1));
      // The fixture lies wherever today's date puts it: each preset shows the runs of its own period.
      await expect(async () => {
        await page.reload();
        const runs = Number((await kpi(page, "runs").textContent()) ?? "");
        const csv = parseCsv(await (await page.request.get(`/api/metrics/runs.csv?range=${preset}`)).text());
        expect(runs).toBe(csv.length);
        expect(runs).toBeGreaterThanOrEqual(before); // a longer period holds every run of a shorter one
        before = runs;
      }).toPass({ timeout: 30_000 });
    }
    await shot(page, "metrics-90-days");
  });

  test("the CSV export holds the same numbers, review times included", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const response = await page.request.get(`/api/metrics/runs.csv?${WEEK}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const rows = parseCsv(await response.text());
    expect(rows).toHaveLength(10);
    const sum = (list: Record<string, string>[], column: string) =>
      list.reduce((total, row) => total + Number(row[column] || 0), 0);
    expect(Math.round(sum(rows, "cost_usd") * 1e6) / 1e6).toBe(0.6765);
    expect(sum(rows, "cache_read_tokens")).toBe(30_000);
    expect(rows.filter((row) => row.unpriced === "true")).toHaveLength(2);
    // The runs of the merged tasks add up to the page's human review time per merged change (1.9 h).
    const merged = parseCsv(
      await (await page.request.get(`/api/metrics/runs.csv?${WEEK}&scope=merged`)).text(),
    );
    expect(sum(merged, "human_review_ms") / 3).toBe(6_840_000);
    expect(merged.find((row) => row.task_title === "Merged first try")?.review_turnaround_ms).toBe("3600000");
    // Signed out: sent to sign-in (proxy.ts) or refused by the route — never the data.
    const stranger = await playwright.request.newContext({
      baseURL,
      storageState: { cookies: [], origins: [] },
    });
    const anonymous = await stranger.get(`/api/metrics/runs.csv?${WEEK}`, { maxRedirects: 0 });
    expect([302, 303, 307, 401]).toContain(anonymous.status());
    expect(await anonymous.text()).not.toContain("run_id");
    // The fixture hook answers admins of the e2e server only.
    expect((await stranger.post("/api/e2e/metrics-fixture", { data: { action: "load" } })).status()).not.toBe(
      200,
    );
    await stranger.dispose();
  });

  test("at the monthly spend cap a new run is refused, and everyone's meter follows the cap live", async ({
    page,
    browser,
  }) => {
    test.setTimeout(150_000); // two people signed in, a cap set and removed: slow on a busy machine
    await call("spend-today"); // this month's spend gets a $1 run today, whatever day the suite runs
    // Bob watches the metrics page while Ada sets the cap.
    const bobContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const bob = await bobContext.newPage();
    await signIn(bob, BOB.email, BOB.password);
    await bob.goto("/metrics");
    await expect(bob.getByTestId("spend-meter")).toContainText("no cap");
    await expect(bob.getByLabel("Monthly spend cap (USD)")).toHaveCount(0); // a developer sees, can't set

    await page.goto("/metrics");
    await page.getByLabel("Monthly spend cap (USD)").fill("0.5");
    await page.getByRole("button", { name: "Save cap" }).click();
    await expect(page.getByText("Monthly spend cap set to $0.50")).toBeVisible();
    await expect(page.getByTestId("spend-meter")).toContainText("Cap reached: new runs are refused");
    // Bob's page was not reloaded: the meter heard the change.
    await expect(bob.getByTestId("spend-meter")).toContainText("of $0.50 this month");
    await expect(bob.getByTestId("spend-meter")).toContainText("Cap reached: new runs are refused");
    await page.goto("/settings/general");
    await expect(page.getByTestId("spend-cap-setting")).toContainText("cap $0.50");
    await shot(page, "settings-spend-cap");

    await page.goto("/tasks/new");
    await page.getByLabel("Title").fill("One more change");
    await page.getByLabel("Prompt").fill("Make it better");
    await page.getByLabel("Repository").selectOption({ label: "api" });
    await page.getByLabel("Agent").selectOption({ label: "Fixer" });
    await page.getByRole("button", { name: "Assign" }).click();
    await expect(page.getByText(/The team's monthly spend cap of \$0\.50 is reached/)).toBeVisible();
    await expect(page).toHaveURL(/\/tasks\/new/);

    // An admin removes the cap: assigning works again, and Bob's meter says so.
    await page.goto("/metrics");
    await page.getByLabel("Monthly spend cap (USD)").fill("");
    await page.getByRole("button", { name: "Save cap" }).click();
    await expect(page.getByText("Spend cap removed")).toBeVisible();
    await expect(page.getByTestId("spend-meter")).toContainText("no cap");
    await expect(bob.getByTestId("spend-meter")).toContainText("no cap");
    await bobContext.close();
  });
});
