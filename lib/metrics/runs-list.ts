import "server-only";
import { sql } from "drizzle-orm";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { endedTasksCte } from "./ended-tasks";
import { type MetricsRange, runGroupKey } from "./range";
import { MS, queryRows } from "./sql";

export interface RunsFilter {
  /** Only runs of this group (its key under range.groupBy). */
  key?: string;
  /** Only runs queued on this UTC day (YYYY-MM-DD). */
  day?: string;
  /** Runs of the tasks that ended (or merged) in the range, instead of the runs queued in it. */
  outcome?: "ended" | "merged";
  limit?: number;
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
}

/** The runs behind a number of the metrics page (and every row of the CSV), newest first. */
export async function listMetricRuns(actor: Actor, range: MetricsRange, filter: RunsFilter = {}) {
  authorize(actor, "team:read");
  const key = runGroupKey(range.groupBy);
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const scope = filter.outcome
    ? sql`r.task_id in (select id from ended ${filter.outcome === "merged" ? sql`where status = 'merged'` : sql``})`
    : sql`r.queued_at >= ${from} and r.queued_at < ${to}`;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(filter.day ?? "")
    ? sql`and (r.queued_at at time zone 'UTC')::date = ${filter.day}::date`
    : sql``;
  const group = filter.key !== undefined ? sql`and ${key} is not distinct from ${filter.key || null}` : sql``;
  const cte = filter.outcome
    ? sql`with ${endedTasksCte(actor.teamId, range.from, range.to, range.groupBy)}`
    : sql``;
  return queryRows<MetricRunRow>(sql`
    ${cte}
    select r.id, r.task_id, t.number as task_number, t.title as task_title, t.status as task_status,
      a.name as agent, rp.name as repo, u.name as assigned_by, r.model, r.kind, r.status, r.stop_reason,
      r.queued_at, r.started_at, r.finished_at,
      case when r.started_at is not null then ${sql.raw(MS("r.finished_at", "r.queued_at"))} end::float8 as wall_ms,
      ${sql.raw(MS("r.started_at", "r.queued_at"))}::float8 as queue_ms,
      r.model_ms::float8 as model_ms, r.tool_ms::float8 as tool_ms, r.human_wait_ms::float8 as human_wait_ms,
      r.steps, r.input_tokens::float8 as input_tokens, r.output_tokens::float8 as output_tokens,
      r.cache_write_tokens::float8 as cache_write_tokens, r.cache_read_tokens::float8 as cache_read_tokens,
      r.cost_usd::float8 as cost_usd, r.unpriced, r.verify_exit_code
    from runs r
    join tasks t on t.id = r.task_id
    join agents a on a.id = r.agent_id
    join repositories rp on rp.id = t.repo_id
    left join users u on u.id = t.assigned_by
    where r.team_id = ${actor.teamId} and ${scope} ${day} ${group}
    order by r.queued_at desc, r.id desc
    ${filter.limit ? sql`limit ${filter.limit}` : sql``}`);
}
