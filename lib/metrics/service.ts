import "server-only";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { type GroupMetrics, groupMetrics } from "./group-metrics";
import { groupLabels } from "./labels";
import { openReviews } from "./open-reviews";
import { dayList, type GroupBy, type MetricsQueryInput, type MetricsRange, resolveRange } from "./range";
import { reviewStats } from "./review-stats";
import { runSummary } from "./run-summary";
import { taskOutcomes } from "./task-outcomes";

/** Every metric of one grouping over one range: totals and groups, for the page, the API and tests. */
async function grouped(teamId: string, from: Date, to: Date, groupBy: GroupBy, days = false) {
  const [runs, tasks, reviews] = await Promise.all([
    runSummary(teamId, from, to, groupBy, days),
    taskOutcomes(teamId, from, to, groupBy, days),
    reviewStats(teamId, from, to, groupBy, days),
  ]);
  const keys = [...new Set([...runs.groups, ...tasks.groups, ...reviews.groups].map((row) => row.key))];
  const labels = await groupLabels(teamId, groupBy, keys);
  const find = <T extends { key: string | null }>(rows: T[], key: string | null) =>
    rows.find((row) => row.key === key);
  const groups = keys
    .map((key) =>
      groupMetrics(
        key,
        labels.get(key) ?? String(key),
        find(runs.groups, key),
        find(tasks.groups, key),
        find(reviews.groups, key),
      ),
    )
    .sort((a, b) => b.spend - a.spend || b.runs - a.runs || a.label.localeCompare(b.label));
  return {
    total: groupMetrics(null, "All", runs.total, tasks.total, reviews.total),
    groups,
    reviewsDaily: reviews.daily,
    runsDaily: runs.daily,
    tasksDaily: tasks.daily,
  };
}

export interface DailyPoint {
  day: string;
  runs: number;
  succeededRuns: number;
  spend: number;
  /** Spend of the day per group key. */
  spendByGroup: Record<string, number>;
  p50Ms: number | null;
  p90Ms: number | null;
  tasksEnded: number;
  tasksMerged: number;
  successRate: number | null;
  reviews: number;
  p50TurnaroundMs: number | null;
}

/** Every total of a period, without groups (the previous period, for the change shown against each number). */
async function totals(teamId: string, from: Date, to: Date) {
  const [runs, tasks, reviews] = await Promise.all([
    runSummary(teamId, from, to, null),
    taskOutcomes(teamId, from, to, null),
    reviewStats(teamId, from, to, null),
  ]);
  return groupMetrics(null, "All", runs.total, tasks.total, reviews.total);
}

/** The per-day series, from the per-day rows of the current period's three queries. */
function daily(
  range: MetricsRange,
  { runsDaily: runs, reviewsDaily: reviews, tasksDaily: tasks }: Awaited<ReturnType<typeof grouped>>,
): DailyPoint[] {
  return dayList(range).map((day) => {
    const total = runs.find((row) => row.day === day && row.is_day_total);
    const task = tasks.find((row) => row.day === day);
    const review = reviews.find((row) => row.day === day);
    const spendByGroup: Record<string, number> = {};
    for (const row of runs) {
      if (row.day === day && !row.is_day_total)
        spendByGroup[row.key ?? ""] = Math.round(row.spend * 1e6) / 1e6;
    }
    return {
      day,
      runs: total?.runs ?? 0,
      succeededRuns: total?.succeeded ?? 0,
      spend: Math.round((total?.spend ?? 0) * 1e6) / 1e6,
      spendByGroup,
      p50Ms: total?.p50_ms ?? null,
      p90Ms: total?.p90_ms ?? null,
      tasksEnded: task?.ended ?? 0,
      tasksMerged: task?.merged ?? 0,
      successRate: task && task.ended > 0 ? task.merged / task.ended : null,
      reviews: review?.reviews ?? 0,
      p50TurnaroundMs: review?.p50_turnaround_ms ?? null,
    };
  });
}

export interface Metrics {
  range: MetricsRange;
  total: GroupMetrics;
  previous: GroupMetrics;
  groups: GroupMetrics[];
  /** Agents ranked by success rate (ties: more ended tasks first). */
  leaderboard: GroupMetrics[];
  daily: DailyPoint[];
  openReviews: Awaited<ReturnType<typeof openReviews>>;
}

/** The metrics page's numbers; the API returns the same object. */
export async function getMetrics(actor: Actor, input?: MetricsQueryInput, now?: Date): Promise<Metrics> {
  authorize(actor, "team:read");
  const range = resolveRange(input, now);
  const team = actor.teamId;
  const [current, previous, byAgent, waiting] = await Promise.all([
    grouped(team, range.from, range.to, range.groupBy, true),
    totals(team, range.previous.from, range.previous.to),
    range.groupBy === "agent" ? null : grouped(team, range.from, range.to, "agent"),
    openReviews(team),
  ]);
  const agents = (byAgent ?? current).groups;
  const leaderboard = [...agents].sort(
    (a, b) =>
      (b.successRate ?? -1) - (a.successRate ?? -1) ||
      b.tasks.ended - a.tasks.ended ||
      a.label.localeCompare(b.label),
  );
  return {
    range,
    total: current.total,
    previous,
    groups: current.groups,
    leaderboard,
    daily: daily(range, current),
    openReviews: waiting,
  };
}
