import { Card, CardHeader } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import type { MetricName } from "@/lib/metrics/definitions";
import { formatDuration, formatPercent } from "@/lib/metrics/format";
import type { Metrics } from "@/lib/metrics/service";
import { Defined } from "./definition";

export function ReviewPanel({ metrics }: { metrics: Metrics }) {
  const t = metrics.total;
  const stats: [MetricName, string, string][] = [
    ["timeToFirstReview", "Time to first review", formatDuration(t.review.p50FirstReviewMs)],
    [
      "reviewTurnaround",
      "Review turnaround (p50 / p90)",
      `${formatDuration(t.review.p50TurnaroundMs)} / ${formatDuration(t.review.p90TurnaroundMs)}`,
    ],
    ["timeInReview", "Time in review", formatDuration(t.review.p50TimeInReviewMs)],
    [
      "reviewRounds",
      "Review rounds per task",
      t.review.roundsPerTask === null ? "—" : t.review.roundsPerTask.toFixed(2),
    ],
    ["firstTryMergeRate", "First-try merge rate", formatPercent(t.firstTryMergeRate)],
    [
      "humanReviewTime",
      "Human review time per merged change",
      formatDuration(t.humanReviewMsPerMergedChange),
    ],
  ];
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card data-testid="review-process">
        <CardHeader title="Review process" description={`${t.review.reviews} reviews in this period.`} />
        <dl className="grid grid-cols-[1fr_max-content] gap-x-6 gap-y-2 px-4 py-3 text-sm">
          {stats.map(([name, label, value]) => (
            <div key={name} className="contents">
              <dt className="text-muted-foreground">
                <Defined name={name}>{label}</Defined>
              </dt>
              <dd className="text-right tabular-nums" data-stat={name}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card data-testid="open-reviews">
        <CardHeader
          title="Where reviews are waiting"
          description="Tasks in review right now, per reviewer."
        />
        {metrics.openReviews.length === 0 ? (
          <p className="px-4 py-6 text-sm text-muted-foreground">
            No task is waiting for a review. Finished runs land here with their reviewer.
          </p>
        ) : (
          <ul className="divide-y text-sm">
            {metrics.openReviews.map((row) => (
              <li
                key={row.reviewerId ?? "none"}
                className="flex items-center justify-between gap-3 px-4 py-2"
              >
                <span className="font-medium">{row.reviewerName}</span>
                <span className="flex items-center gap-3 tabular-nums text-muted-foreground">
                  {row.oldestSince ? (
                    <span className="text-xs">
                      oldest <TimeAgo date={row.oldestSince} />
                    </span>
                  ) : null}
                  <a
                    href={`/board?status=in_review${row.reviewerId ? `&reviewer=${row.reviewerId}` : ""}`}
                    className="font-semibold text-foreground hover:underline"
                    data-open-reviews={row.reviewerName}
                  >
                    {row.open}
                  </a>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
