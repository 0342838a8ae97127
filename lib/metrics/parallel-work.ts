import "server-only";
import { sql } from "drizzle-orm";
import { IS_OUTCOME } from "./rollup/day-rows";
import { queryRows } from "./sql";

/**
 * Many agents on one codebase (issue 15), over the tasks that ended in the period: how many attempts a
 * task got, and how well predicted conflicts (lib/conflicts) foretold the real ones. Team totals only;
 * read straight from tasks and runs (tasks(team_id, ended_at) is indexed), not from the daily rollup.
 */
export interface ParallelWork {
  /** Tasks that ended in the period. */
  endedTasks: number;
  /** Agents' branches (attempts) per ended task, on average; null without ended tasks. */
  attemptsPerTask: number | null;
  /** Ended tasks given to more than one agent. */
  multiAttemptTasks: number;
  /** Ended tasks for which a conflict was predicted, and those of them whose merge then really conflicted. */
  predictedConflicts: number;
  predictedThatHappened: number;
  /** Ended tasks whose merge really conflicted, and those of them predicted beforehand. */
  realConflicts: number;
  realThatWerePredicted: number;
}

interface Row {
  ended: number;
  attempts: number;
  multi: number;
  predicted: number;
  predicted_happened: number;
  real: number;
  real_predicted: number;
}

export async function parallelWork(teamId: string, from: Date, to: Date): Promise<ParallelWork> {
  const [row] = await queryRows<Row>(sql`
    with ended as (
      select t.id, t.conflict_predicted_at, t.merge_conflicted_at,
        (select count(distinct r.branch) from runs r where r.task_id = t.id)::int as attempts
      from tasks t
      where t.team_id = ${teamId}
        and t.ended_at >= ${from.toISOString()} and t.ended_at < ${to.toISOString()}
        and ${IS_OUTCOME}
    )
    select
      count(*)::int as ended,
      coalesce(sum(attempts), 0)::int as attempts,
      count(*) filter (where attempts > 1)::int as multi,
      count(*) filter (where conflict_predicted_at is not null)::int as predicted,
      count(*) filter (where conflict_predicted_at is not null
        and merge_conflicted_at >= conflict_predicted_at)::int as predicted_happened,
      count(*) filter (where merge_conflicted_at is not null)::int as real,
      count(*) filter (where merge_conflicted_at is not null
        and conflict_predicted_at <= merge_conflicted_at)::int as real_predicted
    from ended`);
  const r = row ?? {
    ended: 0,
    attempts: 0,
    multi: 0,
    predicted: 0,
    predicted_happened: 0,
    real: 0,
    real_predicted: 0,
  };
  return {
    endedTasks: r.ended,
    attemptsPerTask: r.ended > 0 ? r.attempts / r.ended : null,
    multiAttemptTasks: r.multi,
    predictedConflicts: r.predicted,
    predictedThatHappened: r.predicted_happened,
    realConflicts: r.real,
    realThatWerePredicted: r.real_predicted,
  };
}
