// The CSV and the API hold the same numbers as the page's service, over the hand-computed fixture.
import { beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/v1/metrics/route";
import { getDb } from "@/db";
import type { Actor } from "@/lib/auth/permissions";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { runsToCsv } from "./csv";
import { FIXTURE_NOW, insertMetricsFixture } from "./fixture";
import { resolveRange } from "./range";
import { listMetricRuns } from "./runs-list";
import { serializeMetrics } from "./serialize";
import { getMetrics } from "./service";

let ada: Actor;
let bob: Actor;
beforeAll(async () => {
  ada = await teamAdmin();
  bob = await teamMember("developer");
  await insertMetricsFixture(await getDb(), { teamId: ada.teamId, ada: ada.userId, bob: bob.userId });
});

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split("\r\n");
  const names = (header ?? "").split(",");
  // The fixture has no commas or quotes in its values.
  return lines.map((line) => Object.fromEntries(line.split(",").map((value, i) => [names[i], value])));
}

async function get(query: string, token?: string) {
  const request = new Request(`http://localhost/api/v1/metrics${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const response = await metricsRoute.GET(request, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

describe("metrics export", () => {
  it("the CSV has one row per run of the period, with every metric, adding up to the page's totals", async () => {
    const range = resolveRange({ range: "7d" }, FIXTURE_NOW);
    const rows = parseCsv(runsToCsv(await listMetricRuns(ada, range)));
    expect(rows).toHaveLength(10);
    const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column] || 0), 0);
    expect(Math.round(sum("cost_usd") * 1e6) / 1e6).toBe(0.6765);
    expect([
      sum("input_tokens"),
      sum("output_tokens"),
      sum("cache_write_tokens"),
      sum("cache_read_tokens"),
    ]).toEqual([246_000, 29_000, 14_000, 30_000]);
    expect(rows.filter((row) => row.unpriced === "true").map((row) => row.model)).toEqual([
      "acme-coder-1",
      "acme-coder-1",
    ]);
    const first = rows.find((row) => row.task_title === "Merged first try");
    expect(first).toMatchObject({
      agent: "Fixer",
      repo: "api",
      assigned_by: "Ada Admin",
      status: "succeeded",
      outcome: "changes_ready",
      task_status: "merged",
      wall_ms: "600000",
      queue_ms: "30000",
      model_ms: "300000",
      tool_ms: "200000",
      cost_usd: "0.027",
      verify_exit_code: "0",
      queued_at: "2026-11-15T10:00:00.000Z",
      // Reviewed an hour after it finished; no approval wait.
      review_turnaround_ms: "3600000",
      human_review_ms: "3600000",
    });
    // Not reviewed: no turnaround; its human time is its approval wait alone.
    expect(rows.find((row) => row.task_title === "Failed run")).toMatchObject({
      review_turnaround_ms: "",
      human_review_ms: "0",
    });
    // The runs behind "cost per merged change" and "human review time per merged change": every run of the
    // three merged tasks; their columns add up to the page's numbers.
    const merged = parseCsv(runsToCsv(await listMetricRuns(ada, range, { scope: "merged" })));
    const total = (column: string) => merged.reduce((sum, row) => sum + Number(row[column] || 0), 0);
    expect(total("cost_usd") / 3).toBeCloseTo(0.031, 10);
    expect(total("human_review_ms") / 3).toBe(6_840_000);
    const page = (await getMetrics(ada, { range: "7d" }, FIXTURE_NOW)).total;
    expect(page.humanReviewMsPerMergedChange).toBe(6_840_000);
    // The runs behind the turnaround: the runs reviewed in the period, one first review each here.
    const reviewed = parseCsv(runsToCsv(await listMetricRuns(ada, range, { scope: "reviewed" })));
    expect(reviewed.map((row) => Number(row.review_turnaround_ms)).sort((a, b) => a - b)).toEqual([
      2_400_000, 3_600_000, 3_600_000, 3_600_000, 7_200_000,
    ]);
    // The runs behind one day's bar of one group.
    const day = await listMetricRuns(ada, { ...range, groupBy: "agent" }, { day: "2026-11-16" });
    expect(day.map((row) => row.kind).sort()).toEqual(["follow_up", "initial"]);
  });

  it("GET /api/v1/metrics returns the same numbers as the page, for the token's team", async () => {
    const token = (await createApiToken(bob, { name: "ci" })).token;
    const { status, body } = await get("?from=2026-11-14&to=2026-11-20&groupBy=model", token);
    expect(status).toBe(200);
    const page = serializeMetrics(await getMetrics(bob, { range: "7d", groupBy: "model" }, FIXTURE_NOW));
    expect(body).toEqual(JSON.parse(JSON.stringify(page)));
    expect(body.range).toEqual({
      from: "2026-11-14",
      to: "2026-11-20",
      days: 7,
      groupBy: "model",
      previous: { from: "2026-11-07", to: "2026-11-13" },
    });
    expect(body.totals).toMatchObject({
      spend: 0.6765,
      runs: 10,
      successRate: 0.5,
      costPerMergedChange: 0.031,
    });
    // The previous period's review numbers are computed, not zeros.
    expect(body.previous.review).toMatchObject({ reviews: 1, p50TurnaroundMs: 2_400_000 });

    const stranger = (await createApiToken(await otherTeamMember(), { name: "x" })).token;
    expect((await get("?from=2026-11-14&to=2026-11-20", stranger)).body.totals.runs).toBe(0);
    expect((await get("?from=2026-11-14&to=2026-11-20")).status).toBe(401);
    const bad = await get("?from=2026-11-14&to=2026-11-20&groupBy=planet", token);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "bad_request", field: "groupBy" } } });
    const backwards = await get("?from=2026-11-20&to=2026-11-14", token);
    expect(backwards).toMatchObject({ status: 400, body: { error: { field: "to" } } });
  });
});
