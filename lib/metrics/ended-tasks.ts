import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type GroupBy, taskGroupKey } from "./range";

/**
 * Tasks that ended in [from, to), with their group key and the moment they ended. Ended: merged, discarded,
 * failed, or cancelled after a run had started (a task cancelled while still queued never had a chance).
 * The end is closedAt, else mergedAt, else updatedAt: every status change sets updatedAt, and a task that
 * ended changes no more, so for a failed or cancelled task it is the moment it ended.
 */
export function endedTasksCte(teamId: string, from: Date, to: Date, groupBy: GroupBy): SQL {
  return sql`
    ended as (
      select t.id, t.status, t.created_at, ${taskGroupKey(groupBy)} as key,
        coalesce(t.closed_at, t.merged_at, t.updated_at) as ended_at
      from tasks t
      where t.team_id = ${teamId}
        and t.status in ('merged', 'discarded', 'failed', 'cancelled')
        and coalesce(t.closed_at, t.merged_at, t.updated_at) >= ${from.toISOString()}
        and coalesce(t.closed_at, t.merged_at, t.updated_at) < ${to.toISOString()}
        and (t.status <> 'cancelled'
             or exists (select 1 from runs sr where sr.task_id = t.id and sr.started_at is not null))
    )`;
}
