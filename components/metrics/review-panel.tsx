import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import type { MetricName } from "@/lib/metrics/definitions";
import { formatDuration, formatPercent } from "@/lib/metrics/format";
import type { RunScope } from "@/lib/metrics/runs-list";
import type { Metrics } from "@/lib/metrics/service";
import { Defined } from "./definition";

type RunsHref = (extra: Record<string, string | undefined>) => string;

/** The review process over the period; each number links to the runs it was computed from. */
export function ReviewPanel({ metrics, runsHref }: { metrics: Metrics; runsHref: RunsHref }) {
  const t = metrics.total;
  const stats: [MetricName, string, string, RunScope][] = [
    ["timeToFirstReview", "Time to first review", formatDuration(t.review.p50FirstReviewMs), "reviewed"],
    [
      "reviewTurnaround",
      "Review turnaround (p50 / p90)",
      `${formatDuration(t.review.p50TurnaroundMs)} / ${formatDuration(t.review.p90TurnaroundMs)}`,
      "reviewed",
    ],
    ["timeInReview", "Time in review", formatDuration(t.review.p50TimeInReviewMs), "ended-reviewed"],
    [
      "reviewRounds",
      "Review rounds per task",
      t.review.roundsPerTask === null ? "—" : t.review.roundsPerTask.toFixed(2),
      "ended-reviewed",
    ],
    ["firstTryMergeRate", "First-try merge rate", formatPercent(t.firstTryMergeRate), "merged"],
    [
      "humanReviewTime",
      "Human review time per merged change",
      formatDuration(t.humanReviewMsPerMergedChange),
      "merged",
    ],
  ];
  return (
    <Card data-testid="review-process">
      <CardHeader
        title="Review process"
        description={
          <Link href={runsHref({ scope: "reviewed" })} className="hover:underline" data-stat="reviews">
            {t.review.reviews} review{t.review.reviews === 1 ? "" : "s"} in this period
          </Link>
        }
      />
      <dl className="grid grid-cols-[1fr_max-content] gap-x-6 gap-y-2 px-4 py-3 text-sm">
        {stats.map(([name, label, value, scope]) => (
          <div key={name} className="contents">
            <dt className="text-muted-foreground">
              <Defined name={name}>{label}</Defined>
            </dt>
            <dd className="text-right tabular-nums">
              <Link href={runsHref({ scope })} className="hover:underline" data-stat={name}>
                {value}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

/** Where reviews are waiting now (not bound to the period): tasks in review per reviewer. */
export function OpenReviews({ metrics }: { metrics: Metrics }) {
  return (
    <Card data-testid="open-reviews">
      <CardHeader
        title="Where reviews are waiting"
        description={<Defined name="openReviews">In review right now, per reviewer</Defined>}
      />
      {metrics.openReviews.length === 0 ? (
        <p className="px-4 py-6 text-sm text-muted-foreground">
          No task is waiting for a review. Finished runs land here with their reviewer.
        </p>
      ) : (
        <ul className="divide-y text-sm">
          {metrics.openReviews.map((row) => (
            <li key={row.reviewerId ?? "none"} className="flex items-center justify-between gap-3 px-4 py-2">
              <span className="font-medium">{row.reviewerName}</span>
              <span className="flex items-center gap-3 tabular-nums text-muted-foreground">
                {row.oldestSince ? (
                  <span className="text-xs">
                    oldest since <TimeAgo date={row.oldestSince} />
                  </span>
                ) : null}
                <a
                  href={row.reviewerId ? `/board?reviewer=${row.reviewerId}` : "/board"}
                  className="min-w-6 rounded bg-muted px-1.5 py-0.5 text-center font-semibold text-foreground hover:underline"
                  data-open-reviews={row.reviewerName}
                  aria-label={`${row.open} waiting for ${row.reviewerName}`}
                >
                  {row.open}
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
