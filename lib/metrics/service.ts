import "server-only";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { type GroupMetrics, groupMetrics } from "./group-metrics";
import { groupLabels } from "./labels";
import { type MergeQueueMetrics, mergeQueueMetrics } from "./merge-queue";
import { openReviews } from "./open-reviews";
import { type ParallelWork, parallelWork } from "./parallel-work";
import { dayList, type GroupBy, type MetricsQueryInput, type MetricsRange, resolveRange } from "./range";
import { reviewStats } from "./review-stats";
import { runSummary } from "./run-summary";
import { taskOutcomes } from "./task-outcomes";

/** One group's metrics for every key of the three queries' rows, labelled, biggest spend first. */
async function groupsOf<
  R extends { key: string | null },
  T extends { key: string | null },
  V extends { key: string | null },
>(teamId: string, groupBy: GroupBy, runs: R[], tasks: T[], reviews: V[]): Promise<GroupMetrics[]> {
  const keys = [...new Set([...runs, ...tasks, ...reviews].map((row) => row.key))];
  const labels = await groupLabels(teamId, groupBy, keys);
  const find = <X extends { key: string | null }>(rows: X[], key: string | null) =>
    rows.find((row) => row.key === key);
  return keys
    .map((key) =>
      groupMetrics(
        key,
        labels.get(key) ?? String(key),
        find(runs, key),
        find(tasks, key),
        find(reviews, key),
      ),
    )
    .sort((a, b) => b.spend - a.spend || b.runs - a.runs || a.label.localeCompare(b.label));
}

/**
 * Every metric of the period: the total, the groups of the chosen key, the agents (the leaderboard) and the
 * per-day rows — three statements over the rollup, one per kind of fact.
 */
async function current(teamId: string, from: Date, to: Date, groupBy: GroupBy) {
  const grouping = { groupBy, agents: groupBy !== "agent", days: true, dayKeys: true };
  const [runs, tasks, reviews] = await Promise.all([
    runSummary(teamId, from, to, grouping),
    taskOutcomes(teamId, from, to, grouping),
    reviewStats(teamId, from, to, grouping),
  ]);
  const [groups, agents] = await Promise.all([
    groupsOf(teamId, groupBy, runs.groups, tasks.groups, reviews.groups),
    groupBy === "agent" ? null : groupsOf(teamId, "agent", runs.agents, tasks.agents, reviews.agents),
  ]);
  return {
    total: groupMetrics(null, "All", runs.total, tasks.total, reviews.total),
    groups,
    agents: agents ?? groups,
    runs,
    tasks,
    reviews,
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
    runSummary(teamId, from, to, { groupBy: null }),
    taskOutcomes(teamId, from, to, { groupBy: null }),
    reviewStats(teamId, from, to, { groupBy: null }),
  ]);
  return groupMetrics(null, "All", runs.total, tasks.total, reviews.total);
}

/** The per-day series, from the per-day rows of the current period's three queries. */
function daily(
  range: MetricsRange,
  { runs, tasks, reviews }: Awaited<ReturnType<typeof current>>,
): DailyPoint[] {
  return dayList(range).map((day) => {
    const total = runs.days.find((row) => row.day === day);
    const task = tasks.days.find((row) => row.day === day);
    const review = reviews.days.find((row) => row.day === day);
    const spendByGroup: Record<string, number> = {};
    for (const row of runs.dayGroups) {
      if (row.day === day) spendByGroup[row.key ?? ""] = Math.round(row.spend * 1e6) / 1e6;
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
  /** Attempts per task and predicted conflicts, over the tasks that ended in the period. */
  parallel: ParallelWork;
  /** The merge queue's length now and its wait over the period (lib/merge-queue). */
  mergeQueue: MergeQueueMetrics;
}

/** The metrics page's numbers; the API returns the same object. */
export async function getMetrics(actor: Actor, input?: MetricsQueryInput, now?: Date): Promise<Metrics> {
  authorize(actor, "team:read");
  const range = resolveRange(input, now);
  const team = actor.teamId;
  const [period, previous, waiting, parallel, mergeQueue] = await Promise.all([
    current(team, range.from, range.to, range.groupBy),
    totals(team, range.previous.from, range.previous.to),
    openReviews(team),
    parallelWork(team, range.from, range.to),
    mergeQueueMetrics(team, range.from, range.to),
  ]);
  const leaderboard = [...period.agents].sort(
    (a, b) =>
      (b.successRate ?? -1) - (a.successRate ?? -1) ||
      b.tasks.ended - a.tasks.ended ||
      a.label.localeCompare(b.label),
  );
  return {
    range,
    total: period.total,
    previous,
    groups: period.groups,
    leaderboard,
    daily: daily(range, period),
    openReviews: waiting,
    parallel,
    mergeQueue,
  };
}
