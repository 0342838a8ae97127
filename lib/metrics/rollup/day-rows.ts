// The rollup rows of a set of UTC days, computed from the raw runs, reviews and tasks: what compaction writes
// into metrics_*_days, and what reads use for the days still marked dirty. One definition for both, so the
// rollup can only ever hold what a recomputation would give.
import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { agentWorkSql } from "@/db/schema/run-statuses";
import { MS } from "../sql";

/** The group key columns every rollup row carries, in this order. */
export const KEY_COLUMNS = ["day", "agent_id", "model", "repo_id", "person_id"] as const;

const DAY_MS = 86_400_000;
/** Judges' runs are counted apart (lib/metrics/parallel-work.ts), never as agents' work. */
const AGENT_WORK = sql.raw(agentWorkSql("r"));

/**
 * `column` falls on one of `days` (YYYY-MM-DD, UTC), as constant ranges (consecutive days merged) so the
 * planner sees how few rows a day holds and uses the (team, time) indexes.
 */
export function onDays(column: string, days: string[]): SQL {
  const starts = [...new Set(days)].map((day) => Date.parse(`${day}T00:00:00Z`)).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const start of starts) {
    const last = ranges.at(-1);
    if (last && last[1] === start) last[1] = start + DAY_MS;
    else ranges.push([start, start + DAY_MS]);
  }
  if (ranges.length === 0) return sql`false`;
  const col = sql.raw(column);
  const iso = (ms: number) => new Date(ms).toISOString();
  return sql`(${sql.join(
    ranges.map(
      ([from, to]) => sql`(${col} >= ${iso(from)}::timestamptz and ${col} < ${iso(to)}::timestamptz)`,
    ),
    sql` or `,
  )})`;
}

/** A task's model: the model of its latest run (the run whose outcome the task has). */
export const LATEST_MODEL = (task: string) =>
  `(select lr.model from runs lr where lr.task_id = ${task} and ${agentWorkSql("lr")} order by lr.queued_at desc, lr.id desc limit 1)`;

/**
 * Tasks that count as an outcome: merged, discarded, failed, or cancelled after a run had started (a task
 * cancelled while still queued never had a chance). Alias t.
 */
export const IS_OUTCOME = sql.raw(`t.status in ('merged', 'discarded', 'failed', 'cancelled')
  and (t.status <> 'cancelled' or exists (select 1 from runs sr where sr.task_id = t.id and ${agentWorkSql("sr")} and sr.started_at is not null))`);

// Durations count runs that started and finished: a run cancelled while queued never ran.
const RAN = "r.finished_at is not null and r.started_at is not null";

export const RUN_COLUMNS = [
  ...KEY_COLUMNS,
  "runs",
  "succeeded",
  "verification_failed",
  "no_changes",
  "blocked",
  "failed",
  "cancelled",
  "unpriced_runs",
  "spend",
  "input_tokens",
  "output_tokens",
  "cache_write_tokens",
  "cache_read_tokens",
  "ran",
  "queue_ms",
  "model_ms",
  "tool_ms",
  "human_ms",
  "verified",
  "verify_passed",
  "wall_ms",
] as const;

/** Runs queued on each of `days` (YYYY-MM-DD, UTC). */
export function runDayRows(teamId: string, days: string[]): SQL {
  return sql`
    select metrics_day(r.queued_at) as day, r.agent_id, r.model, t.repo_id, t.assigned_by as person_id,
      count(*)::int as runs,
      count(*) filter (where r.outcome = 'changes_ready')::int as succeeded,
      count(*) filter (where r.outcome = 'verification_failed')::int as verification_failed,
      count(*) filter (where r.outcome = 'no_changes')::int as no_changes,
      count(*) filter (where r.outcome in ('blocked', 'needs_input'))::int as blocked,
      count(*) filter (where r.status = 'failed')::int as failed,
      count(*) filter (where r.status = 'cancelled')::int as cancelled,
      count(*) filter (where r.unpriced)::int as unpriced_runs,
      coalesce(sum(r.cost_usd), 0) as spend,
      coalesce(sum(r.input_tokens), 0)::bigint as input_tokens,
      coalesce(sum(r.output_tokens), 0)::bigint as output_tokens,
      coalesce(sum(r.cache_write_tokens), 0)::bigint as cache_write_tokens,
      coalesce(sum(r.cache_read_tokens), 0)::bigint as cache_read_tokens,
      count(*) filter (where ${sql.raw(RAN)})::int as ran,
      coalesce(sum(${sql.raw(MS("r.started_at", "r.queued_at"))}) filter (where ${sql.raw(RAN)}), 0)::numeric as queue_ms,
      coalesce(sum(r.model_ms) filter (where ${sql.raw(RAN)}), 0)::numeric as model_ms,
      coalesce(sum(r.tool_ms) filter (where ${sql.raw(RAN)}), 0)::numeric as tool_ms,
      coalesce(sum(r.human_wait_ms) filter (where ${sql.raw(RAN)}), 0)::numeric as human_ms,
      count(*) filter (where r.verify_exit_code is not null)::int as verified,
      count(*) filter (where r.verify_exit_code = 0)::int as verify_passed,
      coalesce(array_agg(${sql.raw(MS("r.finished_at", "r.queued_at"))}::float8) filter (where ${sql.raw(RAN)}), '{}') as wall_ms
    from runs r join tasks t on t.id = r.task_id
    where r.team_id = ${teamId} and ${onDays("r.queued_at", days)} and ${AGENT_WORK}
    group by 1, r.agent_id, r.model, t.repo_id, t.assigned_by`;
}

export const REVIEW_COLUMNS = [
  ...KEY_COLUMNS,
  "reviews",
  "approvals",
  "changes_requested",
  "turnaround_ms",
  "first_review_ms",
] as const;

/**
 * Reviews submitted on each day of `days`, under their task's keys. Turnaround: from the end of the run whose
 * diff was reviewed to the review. A task's first review also gets its time to first review: from the end of
 * the first run that put the task in review (its first succeeded run) to that review.
 */
export function reviewDayRows(teamId: string, days: string[]): SQL {
  return sql`
    with in_range as (
      select metrics_day(rv.created_at) as day, rv.id, rv.task_id, rv.run_id, rv.created_at, rv.decision
      from reviews rv where rv.team_id = ${teamId} and ${onDays("rv.created_at", days)}
    ), range_tasks as (
      select t.id, t.agent_id, t.repo_id, t.assigned_by, ${sql.raw(LATEST_MODEL("t.id"))} as model
      from tasks t where t.id in (select task_id from in_range)
    ), firsts as (
      select fv.task_id, min(fv.created_at) as first_at
      from reviews fv where fv.task_id in (select id from range_tasks) group by fv.task_id
    ), ready as (
      select fr.task_id, min(fr.finished_at) as ready_at
      from runs fr where fr.task_id in (select id from range_tasks) and fr.status = 'succeeded'
        and ${sql.raw(agentWorkSql("fr"))}
      group by fr.task_id
    ), reviewed as (
      select rv.day, t.agent_id, t.model, t.repo_id, t.assigned_by as person_id, rv.decision,
        ${sql.raw(MS("rv.created_at", "rr.finished_at"))}::float8 as turnaround_ms,
        case when rv.created_at = f.first_at then ${sql.raw(MS("rv.created_at", "rd.ready_at"))}::float8 end as first_review_ms
      from in_range rv
      join range_tasks t on t.id = rv.task_id
      join firsts f on f.task_id = rv.task_id
      left join ready rd on rd.task_id = rv.task_id
      left join runs rr on rr.id = rv.run_id
    )
    select day, agent_id, model, repo_id, person_id,
      count(*)::int as reviews,
      count(*) filter (where decision = 'approved')::int as approvals,
      count(*) filter (where decision = 'changes_requested')::int as changes_requested,
      coalesce(array_agg(turnaround_ms) filter (where turnaround_ms is not null), '{}') as turnaround_ms,
      coalesce(array_agg(first_review_ms) filter (where first_review_ms is not null), '{}') as first_review_ms
    from reviewed
    group by day, agent_id, model, repo_id, person_id`;
}

export const TASK_COLUMNS = [
  ...KEY_COLUMNS,
  "ended",
  "merged",
  "discarded",
  "failed",
  "cancelled",
  "merged_first_try",
  "merged_cost",
  "merged_unpriced",
  "merged_human_ms",
  "reviewed",
  "review_rounds",
  "time_in_review_ms",
] as const;

/** The per-task facts of the tasks chosen by `ended` (a query of tasks with alias t), as CTEs. */
export function taskFactsCtes(ended: SQL): SQL {
  return sql`
    ended as (${ended}),
    costs as (
      select r.task_id, coalesce(sum(r.cost_usd), 0) as cost, coalesce(bool_or(r.unpriced), false) as unpriced,
        coalesce(sum(r.human_wait_ms), 0)::numeric as approval_ms,
        min(r.finished_at) filter (where r.status = 'succeeded') as first_ready_at
      from runs r where r.task_id in (select id from ended) and ${AGENT_WORK} group by r.task_id
    ), rounds as (
      select rv.task_id, count(*)::int as rounds,
        count(*) filter (where rv.decision = 'changes_requested')::int as changes,
        coalesce(sum(greatest(${sql.raw(MS("rv.created_at", "rr.finished_at"))}, 0)), 0)::numeric as review_wait_ms
      from reviews rv left join runs rr on rr.id = rv.run_id
      where rv.task_id in (select id from ended) group by rv.task_id
    ), detail as (
      select e.*, coalesce(c.cost, 0) as cost, coalesce(c.unpriced, false) as unpriced,
        coalesce(c.approval_ms, 0) as approval_ms, c.first_ready_at,
        coalesce(v.rounds, 0) as rounds, coalesce(v.changes, 0) as changes,
        coalesce(v.review_wait_ms, 0) as review_wait_ms
      from ended e left join costs c on c.task_id = e.id left join rounds v on v.task_id = e.id
    )`;
}

/** Tasks that ended on each of `days` (YYYY-MM-DD, UTC), under their keys. */
export function taskDayRows(teamId: string, days: string[]): SQL {
  const ended = sql`
    select metrics_day(t.ended_at) as day, t.id, t.status, t.ended_at, t.agent_id,
      ${sql.raw(LATEST_MODEL("t.id"))} as model, t.repo_id, t.assigned_by as person_id
    from tasks t
    where t.team_id = ${teamId} and ${onDays("t.ended_at", days)} and ${IS_OUTCOME}`;
  return sql`
    with ${taskFactsCtes(ended)}
    select day, agent_id, model, repo_id, person_id,
      count(*)::int as ended,
      count(*) filter (where status = 'merged')::int as merged,
      count(*) filter (where status = 'discarded')::int as discarded,
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'cancelled')::int as cancelled,
      count(*) filter (where status = 'merged' and changes = 0)::int as merged_first_try,
      coalesce(sum(cost) filter (where status = 'merged'), 0) as merged_cost,
      count(*) filter (where status = 'merged' and unpriced)::int as merged_unpriced,
      coalesce(sum(review_wait_ms + approval_ms) filter (where status = 'merged'), 0)::numeric as merged_human_ms,
      count(*) filter (where rounds > 0)::int as reviewed,
      coalesce(sum(rounds), 0)::int as review_rounds,
      coalesce(array_agg(${sql.raw(MS("ended_at", "first_ready_at"))}::float8)
        filter (where rounds > 0 and first_ready_at is not null), '{}') as time_in_review_ms
    from detail
    group by day, agent_id, model, repo_id, person_id`;
}
