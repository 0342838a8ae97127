import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { endedTasksCte } from "./ended-tasks";
import { type MetricsRange, runGroupKey } from "./range";
import { MS, queryRows } from "./sql";

/**
 * Which runs stand behind a number:
 * - queued: the runs queued in the period (spend, runs, durations, verification);
 * - ended / merged: every run of the tasks that ended / merged in the period (success rate, cost and human
 *   review time per merged change, first-try merge rate);
 * - ended-reviewed: every run of the tasks that ended in the period after at least one review (time in review,
 *   review rounds);
 * - reviewed: the runs whose diff got a review in the period (review counts, turnaround, time to first review).
 */
export const RUN_SCOPES = ["queued", "ended", "merged", "ended-reviewed", "reviewed"] as const;
export type RunScope = (typeof RUN_SCOPES)[number];

export interface RunsFilter {
  scope?: RunScope;
  /** Only runs of this group (its key under range.groupBy: the run's own for queued and reviewed runs, the task's for outcomes). */
  key?: string;
  /** Only this UTC day (YYYY-MM-DD) of the scope: queued, ended, or reviewed that day. */
  day?: string;
  /** Only runs whose repository test command ran. */
  verified?: boolean;
  limit?: number;
}

/** The filter of a runs list from URL search params (the page and the CSV share it). */
export function runsFilterFromParams(params: Record<string, string | string[] | undefined>): RunsFilter {
  const one = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const scope = one("scope");
  const day = one("day");
  return {
    scope: (RUN_SCOPES as readonly string[]).includes(scope ?? "") ? (scope as RunScope) : "queued",
    key: one("key"),
    day: day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined,
    verified: one("verified") === "1",
  };
}

export interface MetricRunRow {
  id: string;
  task_id: string;
  task_number: number;
  task_title: string;
  task_status: string;
  agent: string;
  repo: string;
  assigned_by: string | null;
  model: string;
  kind: string;
  status: string;
  outcome: string | null;
  stop_reason: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  wall_ms: number | null;
  queue_ms: number | null;
  model_ms: number;
  tool_ms: number;
  human_wait_ms: number;
  steps: number;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
  unpriced: boolean;
  verify_exit_code: number | null;
  /** From the run's end to the first review of its diff; null when it was not reviewed. */
  review_turnaround_ms: number | null;
  /** Its reviews' waits (from the run's end, never negative) plus its approval waits. */
  human_review_ms: number;
}

/** The condition choosing the runs of a scope (alias r; `ended` is the CTE of ended tasks when needed). */
function scopeCondition(teamId: string, range: MetricsRange, filter: RunsFilter): SQL {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const day = filter.day ? sql`${filter.day}::date` : null;
  const dayOf = (column: string) => (day ? sql`and metrics_day(${sql.raw(column)}) = ${day}` : sql``);
  switch (filter.scope ?? "queued") {
    case "queued": {
      const group =
        filter.key !== undefined
          ? sql`and ${runGroupKey(range.groupBy)} is not distinct from ${filter.key || null}`
          : sql``;
      return sql`r.queued_at >= ${from} and r.queued_at < ${to} ${dayOf("r.queued_at")} ${group}`;
    }
    case "reviewed": {
      const group =
        filter.key !== undefined
          ? sql`and ${runGroupKey(range.groupBy)} is not distinct from ${filter.key || null}`
          : sql``;
      return sql`r.id in (select rv.run_id from reviews rv where rv.team_id = ${teamId}
        and rv.created_at >= ${from} and rv.created_at < ${to} ${dayOf("rv.created_at")}) ${group}`;
    }
    default: {
      // Outcomes belong to tasks: the group is the task's (for a model, its latest run's), like the number.
      const which = [
        filter.scope === "merged" ? sql`e.status = 'merged'` : null,
        filter.scope === "ended-reviewed"
          ? sql`exists (select 1 from reviews rv where rv.task_id = e.id)`
          : null,
        filter.key !== undefined ? sql`e.key is not distinct from ${filter.key || null}` : null,
        day ? sql`metrics_day(e.ended_at) = ${day}` : null,
      ].filter((part): part is SQL => part !== null);
      return sql`r.task_id in (select e.id from ended e ${which.length ? sql`where ${sql.join(which, sql` and `)}` : sql``})`;
    }
  }
}

/** The runs behind a number of the metrics page (and every row of the CSV), newest first. */
export async function listMetricRuns(actor: Actor, range: MetricsRange, filter: RunsFilter = {}) {
  authorize(actor, "team:read");
  const scope = filter.scope ?? "queued";
  const cte =
    scope === "queued" || scope === "reviewed"
      ? sql``
      : sql`with ${endedTasksCte(actor.teamId, range.from, range.to, range.groupBy)}`;
  return queryRows<MetricRunRow>(sql`
    ${cte}
    select r.id, r.task_id, t.number as task_number, t.title as task_title, t.status as task_status,
      a.name as agent, rp.name as repo, u.name as assigned_by, r.model, r.kind, r.status, r.outcome, r.stop_reason,
      r.queued_at, r.started_at, r.finished_at,
      case when r.started_at is not null then ${sql.raw(MS("r.finished_at", "r.queued_at"))} end::float8 as wall_ms,
      ${sql.raw(MS("r.started_at", "r.queued_at"))}::float8 as queue_ms,
      r.model_ms::float8 as model_ms, r.tool_ms::float8 as tool_ms, r.human_wait_ms::float8 as human_wait_ms,
      r.steps, r.input_tokens::float8 as input_tokens, r.output_tokens::float8 as output_tokens,
      r.cache_write_tokens::float8 as cache_write_tokens, r.cache_read_tokens::float8 as cache_read_tokens,
      r.cost_usd::float8 as cost_usd, r.unpriced, r.verify_exit_code,
      ${sql.raw(MS("rw.first_at", "r.finished_at"))}::float8 as review_turnaround_ms,
      (r.human_wait_ms + coalesce(rw.wait_ms, 0))::float8 as human_review_ms
    from runs r
    join tasks t on t.id = r.task_id
    join agents a on a.id = r.agent_id
    join repositories rp on rp.id = t.repo_id
    left join users u on u.id = t.assigned_by
    left join lateral (
      select min(rv.created_at) as first_at,
        sum(greatest(${sql.raw(MS("rv.created_at", "r.finished_at"))}, 0)) as wait_ms
      -- by task first: reviews are indexed by task, and a task has a handful
      from reviews rv where rv.task_id = r.task_id and rv.run_id = r.id
    ) rw on true
    where r.team_id = ${actor.teamId} and r.kind <> 'judge' and ${scopeCondition(actor.teamId, range, filter)}
      ${filter.verified ? sql`and r.verify_exit_code is not null` : sql``}
    order by r.queued_at desc, r.id desc
    ${filter.limit ? sql`limit ${filter.limit}` : sql``}`);
}
