import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type GroupBy, taskGroupKey } from "./range";
import { MS } from "./sql";

/**
 * Reviews submitted in [from, to) with their turnaround: the time from the end of the run whose diff was
 * reviewed to the review. A task's first review also gets its time to first review: from the end of the
 * first run that put the task in review (its first succeeded run) to that review.
 * Per-task facts are aggregated once per task (hash joins), not looked up once per review.
 */
export function reviewedCte(teamId: string, from: Date, to: Date, groupBy: GroupBy): SQL {
  return sql`
    in_range as (
      select rv.id, rv.task_id, rv.run_id, rv.created_at, rv.decision
      from reviews rv
      where rv.team_id = ${teamId}
        and rv.created_at >= ${from.toISOString()} and rv.created_at < ${to.toISOString()}
    ), range_tasks as (
      select distinct task_id from in_range
    ), firsts as (
      select fv.task_id, min(fv.created_at) as first_at
      from reviews fv where fv.task_id in (select task_id from range_tasks) group by fv.task_id
    ), ready as (
      select fr.task_id, min(fr.finished_at) as ready_at
      from runs fr where fr.task_id in (select task_id from range_tasks) and fr.status = 'succeeded'
      group by fr.task_id
    ), reviewed as (
      select rv.id, rv.created_at, rv.decision, ${taskGroupKey(groupBy)} as key,
        ${sql.raw(MS("rv.created_at", "rr.finished_at"))} as turnaround_ms,
        case when rv.created_at = f.first_at then ${sql.raw(MS("rv.created_at", "rd.ready_at"))} end as first_review_ms
      from in_range rv
      join tasks t on t.id = rv.task_id
      join firsts f on f.task_id = rv.task_id
      left join ready rd on rd.task_id = rv.task_id
      left join runs rr on rr.id = rv.run_id
    )`;
}
