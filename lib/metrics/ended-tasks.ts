import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type GroupBy, taskGroupKey } from "./range";
import { IS_OUTCOME } from "./rollup/day-rows";

/**
 * Tasks that ended in [from, to), with their group key and the moment they ended (tasks.ended_at: merged or
 * discarded, when closed; failed or cancelled, when the run that ended it finished — kept by triggers, so a
 * later edit of the task never moves it). A task cancelled while still queued is not an outcome.
 */
export function endedTasksCte(teamId: string, from: Date, to: Date, groupBy: GroupBy): SQL {
  return sql`
    ended as (
      select t.id, t.status, t.created_at, ${taskGroupKey(groupBy)} as key, t.ended_at
      from tasks t
      where t.team_id = ${teamId}
        and t.ended_at >= ${from.toISOString()} and t.ended_at < ${to.toISOString()}
        and ${IS_OUTCOME}
    )`;
}
