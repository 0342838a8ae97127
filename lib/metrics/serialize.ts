import { isoDay } from "./range";
import type { Metrics } from "./service";

const lastDay = (exclusive: Date) => isoDay(new Date(exclusive.getTime() - 86_400_000));

/** The API's shape of the page's numbers: days as YYYY-MM-DD (both ends included), times as ISO strings. */
export function serializeMetrics(metrics: Metrics) {
  const { range } = metrics;
  return {
    range: {
      from: isoDay(range.from),
      to: lastDay(range.to),
      days: range.days,
      groupBy: range.groupBy,
      previous: { from: isoDay(range.previous.from), to: lastDay(range.previous.to) },
    },
    totals: metrics.total,
    previous: metrics.previous,
    groups: metrics.groups,
    leaderboard: metrics.leaderboard,
    daily: metrics.daily,
    openReviews: metrics.openReviews.map((row) => ({
      ...row,
      oldestSince: row.oldestSince?.toISOString() ?? null,
    })),
    parallel: metrics.parallel,
    mergeQueue: metrics.mergeQueue,
  };
}
