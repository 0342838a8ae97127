import "server-only";
import { sql } from "drizzle-orm";
import { endedTasksCte } from "./ended-tasks";
import type { GroupBy } from "./range";
import { MS, queryRows, splitTotals } from "./sql";

export interface TaskOutcomeRow {
  key: string | null;
  is_total: boolean;
  ended: number;
  merged: number;
  discarded: number;
  failed: number;
  cancelled: number;
  merged_first_try: number;
  /** Spend of every run of the merged tasks (retries and follow-ups included). */
  merged_cost: number;
  merged_unpriced: number;
  /** Review waits plus approval waits of the merged tasks. */
  merged_human_ms: number;
  reviewed: number;
  review_rounds: number;
  p50_time_in_review_ms: number | null;
}

/** Outcomes of the tasks that ended in the range, per group and in total. */
export async function taskOutcomes(teamId: string, from: Date, to: Date, groupBy: GroupBy) {
  const rows = await queryRows<TaskOutcomeRow>(sql`
    with ${endedTasksCte(teamId, from, to, groupBy)},
    costs as (
      select r.task_id, coalesce(sum(r.cost_usd), 0) as cost, coalesce(bool_or(r.unpriced), false) as unpriced,
        coalesce(sum(r.human_wait_ms), 0)::float8 as approval_ms,
        min(r.finished_at) filter (where r.status = 'succeeded') as first_ready_at
      from runs r where r.task_id in (select id from ended) group by r.task_id
    ), rounds as (
      select rv.task_id, count(*)::int as rounds,
        count(*) filter (where rv.decision = 'changes_requested')::int as changes,
        coalesce(sum(greatest(${sql.raw(MS("rv.created_at", "rr.finished_at"))}, 0)), 0)::float8 as review_wait_ms
      from reviews rv left join runs rr on rr.id = rv.run_id
      where rv.task_id in (select id from ended) group by rv.task_id
    ), detail as (
      select e.*, coalesce(c.cost, 0) as cost, coalesce(c.unpriced, false) as unpriced,
        coalesce(c.approval_ms, 0) as approval_ms, c.first_ready_at,
        coalesce(v.rounds, 0) as rounds, coalesce(v.changes, 0) as changes,
        coalesce(v.review_wait_ms, 0) as review_wait_ms
      from ended e left join costs c on c.task_id = e.id left join rounds v on v.task_id = e.id
    )
    select key, grouping(key) = 1 as is_total,
      count(*)::int as ended,
      count(*) filter (where status = 'merged')::int as merged,
      count(*) filter (where status = 'discarded')::int as discarded,
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'cancelled')::int as cancelled,
      count(*) filter (where status = 'merged' and changes = 0)::int as merged_first_try,
      coalesce(sum(cost) filter (where status = 'merged'), 0)::float8 as merged_cost,
      count(*) filter (where status = 'merged' and unpriced)::int as merged_unpriced,
      coalesce(sum(review_wait_ms + approval_ms) filter (where status = 'merged'), 0)::float8 as merged_human_ms,
      count(*) filter (where rounds > 0)::int as reviewed,
      coalesce(sum(rounds), 0)::int as review_rounds,
      (percentile_cont(0.5) within group (order by ${sql.raw(MS("ended_at", "first_ready_at"))})
        filter (where rounds > 0 and first_ready_at is not null))::float8 as p50_time_in_review_ms
    from detail
    group by grouping sets ((key), ())`);
  return splitTotals(rows);
}
