// `npm run bench:metrics -- [--samples N] [--database-url URL]`
//
// Server time of the metrics page's queries and of the board's query on the database `npm run seed:large`
// filled (default postgres://root@127.0.0.1:5432/foreman_bench). Each is run a few times to warm up, then
// N times one after another; p50 and p95 are printed. "page" is getMetrics as the page calls it (its
// queries in parallel on the pool) plus the spend meter. Prints figures; asserts nothing.
//
// The daily rollup is as on a working day: every day before yesterday compacted, yesterday and today marked
// dirty (runs still finishing, reviews coming in), so those two days are recomputed from the raw rows by
// every read. `--all-dirty` measures the worst case instead: nothing compacted (right after the migration).
import { performance } from "node:perf_hooks";
import { fmt, quantile, table } from "./bench/stats";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SAMPLES = Number(flag("samples") ?? 40);
const WARMUP = 3;
process.env.DATABASE_URL =
  flag("database-url") ?? process.env.SEED_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/foreman_bench";

const { closeDb, getDb, rowsOf } = await import("@/db");
const { sql } = await import("drizzle-orm");
const { loadActor } = await import("@/lib/auth/actor");
const { getMetrics } = await import("@/lib/metrics/service");
const { resolveRange } = await import("@/lib/metrics/range");
const { runSummary } = await import("@/lib/metrics/run-summary");
const { taskOutcomes } = await import("@/lib/metrics/task-outcomes");
const { reviewStats } = await import("@/lib/metrics/review-stats");
const { openReviews } = await import("@/lib/metrics/open-reviews");
const { spendCapStatus } = await import("@/lib/metrics/spend-cap");
const { listMetricRuns } = await import("@/lib/metrics/runs-list");
const { listBoardTasks } = await import("@/lib/tasks/board");

const db = await getDb();
const [admin] = rowsOf<{ id: string }>(
  await db.execute(sql`select id from users where email = 'admin@bench.example'`),
);
if (!admin) throw new Error("No bench data: run `npm run seed:large` first.");
const actor = await loadActor(admin.id, "browser");
if (!actor) throw new Error("bench admin has no team");
const [counts] = rowsOf<Record<string, number>>(
  await db.execute(sql`select (select count(*) from tasks)::int tasks, (select count(*) from runs)::int runs,
    (select count(*) from run_events)::int events, (select count(*) from reviews)::int reviews`),
);
console.log(`bench:metrics on ${JSON.stringify(counts)}, ${SAMPLES} samples each`);

async function measure(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const team = actor.teamId;
const { compactMetricsDays } = await import("@/lib/metrics/rollup/compact");
await compactMetricsDays(team, { before: new Date(Date.now() + 86_400_000), lockTimeoutMs: 60_000 });
const allDirty = args.includes("--all-dirty");
await db.execute(sql`insert into metrics_dirty_days (team_id, day)
  select ${team}, d::date from generate_series(
    ${allDirty ? sql`current_date - 400` : sql`current_date - 1`}, current_date, interval '1 day') d
  on conflict do nothing`);
console.log(
  allDirty ? "every day dirty (nothing compacted)\n" : "yesterday and today dirty, the rest compacted\n",
);
const cases: [string, () => Promise<unknown>][] = [];
/** The grouping getMetrics asks for (the agents too when grouping by another key). */
const page = (groupBy: "agent" | "model") => ({
  groupBy,
  agents: groupBy !== "agent",
  days: true,
  dayKeys: true,
});
for (const preset of ["7d", "30d", "90d"] as const) {
  const r = resolveRange({ range: preset, groupBy: "agent" });
  cases.push(
    [
      `page ${preset} by agent (all queries)`,
      () => Promise.all([getMetrics(actor, { range: preset }), spendCapStatus(team)]),
    ],
    [`page ${preset} by model (all queries)`, () => getMetrics(actor, { range: preset, groupBy: "model" })],
  );
  if (preset === "7d") continue;
  cases.push(
    [`  runs ${preset} (by agent, per day)`, () => runSummary(team, r.from, r.to, page("agent"))],
    [`  task outcomes ${preset} (by agent, per day)`, () => taskOutcomes(team, r.from, r.to, page("agent"))],
    [`  reviews ${preset} (by agent, per day)`, () => reviewStats(team, r.from, r.to, page("agent"))],
    [`  runs ${preset} (by model and agent, per day)`, () => runSummary(team, r.from, r.to, page("model"))],
  );
}
const r30 = resolveRange({ range: "30d" });
cases.push(
  ["  open reviews per reviewer", () => openReviews(team)],
  ["  spend meter (month to date)", () => spendCapStatus(team)],
  ["runs list 30d (first 500)", () => listMetricRuns(actor, r30, { limit: 501 })],
  ["CSV rows 30d (all)", () => listMetricRuns(actor, r30)],
  ["board (listBoardTasks)", () => listBoardTasks(actor)],
);

const rows: string[][] = [];
for (const [label, fn] of cases) {
  const times = await measure(fn);
  rows.push([label, fmt(quantile(times, 0.5), 1), fmt(quantile(times, 0.95), 1), fmt(times.at(-1) ?? 0, 1)]);
  process.stdout.write(".");
}
console.log(`\n\n${table(["query", "p50 ms", "p95 ms", "max ms"], rows)}`);
console.log("\nTargets: p95 < 300 ms for the metrics page, < 200 ms for the board.");
await closeDb();
