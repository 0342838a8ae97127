// A task's status while agents work on it follows its runs: the latest run of each branch (one branch
// per agent when a task was assigned to several). Review decisions (approved, merged, discarded) are the
// reviewers' and are not the runs' to change.
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
import {
  ACTIVE_RUN_STATUSES,
  agentWorkSql,
  NEEDS_HUMAN_OUTCOMES,
  REVIEWABLE_OUTCOMES,
  sqlStatusList,
  WORKING_RUN_STATUSES,
} from "@/db/schema/run-statuses";
import { type TeamChange, teamChangeNotice } from "@/lib/events/team-changes";

const REVIEWABLE = sql.raw(sqlStatusList(REVIEWABLE_OUTCOMES));
const NEEDS_HUMAN = sql.raw(sqlStatusList(NEEDS_HUMAN_OUTCOMES));
const WORKING = sql.raw(sqlStatusList(WORKING_RUN_STATUSES));
const ACTIVE = sql.raw(sqlStatusList(ACTIVE_RUN_STATUSES));
const AGENT_WORK = sql.raw(agentWorkSql("r"));

/**
 * Derives the task's status from its runs, in the transaction that changed one of them:
 * - any run waiting for a person's approval → needs_human; any other run working → running; only queued
 *   runs → queued (running once another of its runs has started);
 * - a task sent back for changes stays Changes requested while any of its runs works;
 * - every run ended → in_review when any branch's latest run has changes to review (its outcome), else
 *   needs_human when one brought no changes, was blocked or asked a question, else failed, else cancelled.
 *   A run finished before outcomes existed (null) and succeeded counts as reviewable.
 * With `notice`, the team's watchers are told of the change in the same statement (at commit).
 */
export async function syncTaskStatus(tx: Tx, taskId: string, notice?: TeamChange): Promise<void> {
  // Two runs of the task ending at once would each see the other still working (neither has committed)
  // and both leave the task Running. The row lock orders them, and the statement below then reads with a
  // fresh snapshot that holds the other's committed run. NO KEY UPDATE (the lock the update takes anyway),
  // not UPDATE: the writers already hold KEY SHARE on the task, and two upgrades to UPDATE deadlock.
  await tx.execute(sql`select 1 from tasks where id = ${taskId} for no key update`);
  const update = sql`
    update tasks t
    set status = case when t.status = 'changes_requested' and d.working then t.status else d.status end,
        updated_at = now()
    from derived d
    where t.id = ${taskId} and d.status is not null
      and t.status not in ('merged', 'discarded', 'approved')`;
  await tx.execute(sql`
    with latest as (
      select distinct on (branch) status, outcome, started_at
      from runs r where r.task_id = ${taskId} and ${AGENT_WORK}
      order by branch, queued_at desc, id desc
    ), derived as (
      select case
        when bool_or(status = 'waiting_approval') then 'needs_human'
        when bool_or(status in ${WORKING}) then 'running'
        when bool_or(status = 'queued') and bool_or(started_at is not null) then 'running'
        when bool_or(status = 'queued') then 'queued'
        when bool_or(outcome in ${REVIEWABLE} or (outcome is null and status = 'succeeded')) then 'in_review'
        when bool_or(outcome in ${NEEDS_HUMAN}) then 'needs_human'
        when bool_or(status = 'failed') then 'failed'
        else 'cancelled'
      end as status,
      bool_or(status in ${ACTIVE}) as working
      from latest
    )${notice ? sql`, synced as (${update}) ${teamChangeNotice(notice)}` : update}`);
}
