import "server-only";
import { sql } from "drizzle-orm";
import { JUDGE_RUN_KIND } from "@/db/schema/run-statuses";
import { IS_OUTCOME } from "./rollup/day-rows";
import { queryRows } from "./sql";

/**
 * Many agents on one codebase (issue 15), over the tasks that ended in the period: how many attempts a
 * task got, how well predicted conflicts (lib/conflicts) foretold the real ones, and how often the judge's
 * first pick was the attempt promoted. Team totals only;
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
  /** Tasks promoted in the period whose attempts a judge had ranked, and those where its first pick won. */
  judgedPromotions: number;
  judgeFirstPickPromoted: number;
  /** Judges' runs queued in the period and what they cost: counted apart from the agents' work. */
  judgeRuns: number;
  judgeSpendUsd: number;
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

interface JudgeRow {
  judged: number;
  first_pick: number;
  runs: number;
  spend: number;
}

export async function parallelWork(teamId: string, from: Date, to: Date): Promise<ParallelWork> {
  const [row] = await queryRows<Row>(sql`
    with ended as (
      select t.id, t.conflict_predicted_at, t.merge_conflicted_at,
        (select count(distinct r.branch) from runs r where r.task_id = t.id and r.kind <> 'judge')::int as attempts
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
  const range = { from: from.toISOString(), to: to.toISOString() };
  const [judge] = await queryRows<JudgeRow>(sql`
    select
      (select count(*) from tasks t where t.team_id = ${teamId} and t.promoted_judge_pick is not null
        and t.promoted_at >= ${range.from} and t.promoted_at < ${range.to})::int as judged,
      (select count(*) from tasks t where t.team_id = ${teamId} and t.promoted_judge_pick
        and t.promoted_at >= ${range.from} and t.promoted_at < ${range.to})::int as first_pick,
      count(*)::int as runs,
      coalesce(sum(r.cost_usd), 0)::float8 as spend
    from runs r
    where r.team_id = ${teamId} and r.kind = ${JUDGE_RUN_KIND}
      and r.queued_at >= ${range.from} and r.queued_at < ${range.to}`);
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
    judgedPromotions: judge?.judged ?? 0,
    judgeFirstPickPromoted: judge?.first_pick ?? 0,
    judgeRuns: judge?.runs ?? 0,
    judgeSpendUsd: Number(judge?.spend ?? 0),
  };
}
