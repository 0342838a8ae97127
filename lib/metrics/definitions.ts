// The definitions shown as tooltips on the metrics page; docs/metrics.md holds the same sentences
// (definitions.test.ts keeps them in step).
export const DEFINITIONS = {
  spend:
    "Cost of the runs queued in the period: for each model call, its input, output, cache-write and cache-read tokens times the catalogue price of that model — for a model with a long-prompt tier (Claude Haiku 5.5: over 100,000 prompt tokens), a call whose prompt (input + cache write + cache read tokens) is over the threshold pays the tier's prices on every token, output included. Calls on a model without a price count $0 and flag the run unpriced; nothing is guessed.",
  runs: "Runs queued in the period, whatever their outcome (a run belongs to the UTC day it was queued). Succeeded means changes ready: the run changed files and the test command passed, or there is none. Runs whose tests failed, runs that changed nothing, and runs that were blocked or asked a question are counted on their own, never as succeeded; the run success rate is changes ready ÷ every run that ended, those included (failed and cancelled too).",
  successRate:
    "Merged ÷ tasks that ended in the period (merged, discarded, failed, or cancelled after a run had started). The interval is the 95% Wilson score interval for that sample size.",
  duration:
    "Wall time of a run, from queued to finished, over the runs that started and finished; p50 is the median, p90 the time 90% of runs stay under.",
  durationParts:
    "Queue wait is queued → started; model time is spent waiting for the model; tool time running bash and the editor; human wait is time paused for an approval.",
  costPerMergedChange:
    "Cost of every run of the tasks merged in the period (retries and follow-ups included) ÷ the number of those tasks. Flagged when one of those runs is unpriced.",
  verificationPassRate: "Runs whose repository test command passed ÷ runs that were verified.",
  firstTryMergeRate: "Merged tasks that never had a request-changes round ÷ merged tasks.",
  timeToFirstReview:
    "From the end of the first run that put a task in review to its first review (median over the first reviews of the period).",
  reviewTurnaround:
    "For each review, from the end of the run whose diff was reviewed to the review (median and p90 of the period's reviews).",
  timeInReview:
    "From the end of the first run that put a task in review until the task ended (median over reviewed tasks that ended in the period).",
  reviewRounds: "Reviews (approvals and change requests) per reviewed task that ended in the period.",
  humanReviewTime:
    "Per merged task: the time each of its diffs waited for a review plus the time its runs waited for approvals, averaged over the tasks merged in the period.",
  openReviews:
    "Tasks in review right now, per reviewer, with the time the longest-waiting one entered review.",
  mergeQueueLength:
    "Merges waiting in a merge queue right now, or landing (being tested on the merged tree and pushed), over every repository and base branch.",
  mergeQueueWait:
    "For each merge that started landing in the period, the time from asking to merge until it started landing: zero when nothing was ahead of it (median and p90).",
  spendCap:
    "Month-to-date spend (runs queued since the first of the month, UTC) against the team's monthly cap. At the cap, new runs are refused and running ones stop at their next step.",
  attemptsPerTask:
    "Agents' branches per task that ended in the period (a task given to three agents counts three attempts, whatever their follow-ups), averaged over those tasks.",
  predictedConflicts:
    "Of the tasks that ended in the period and had a conflict predicted (with another open task's branch or with their moved base), those whose merge then really conflicted; and of those whose merge really conflicted, those predicted beforehand.",
  judgeFirstPick:
    "Of the tasks promoted in the period whose attempts a judge had ranked, those where the attempt promoted was the judge's first pick (its latest ranking before the promotion).",
  judgeSpend:
    "Judges' runs queued in the period and what they cost. They are counted apart: the runs, spend and success rates elsewhere on this page are the agents' work only.",
} as const;

export type MetricName = keyof typeof DEFINITIONS;
