// `npm run seed:large -- [--tasks N] [--database-url URL]`
//
// Fills a database of its own with a year of one team's history for bench:metrics: ≥10,000 tasks, ≥100,000
// runs, ≥1,000,000 run events and their reviews, written with set-based INSERT … SELECT generate_series
// (a few statements, not a million round trips). The database (default foreman_bench on
// postgres://root@127.0.0.1:5432, or the path of --database-url / SEED_DATABASE_URL) is dropped and
// recreated, then migrated like any Foreman database. Sign-in: admin@bench.example / correct horse battery.
import pg from "pg";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const TASKS = Number(flag("tasks") ?? 25_000);
const EVENTS_PER_RUN = 10;
const url = new URL(
  flag("database-url") ?? process.env.SEED_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/foreman_bench",
);
const dbName = url.pathname.slice(1) || "foreman_bench";
if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error(`unexpected database name ${dbName}`);

async function recreate() {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists ${dbName} with (force)`);
  await client.query(`create database ${dbName}`);
  await client.end();
}

const t0 = Date.now();
const step = async (label: string, fn: () => Promise<unknown>) => {
  const start = Date.now();
  const result = await fn();
  const rows = (result as { rowCount?: number } | undefined)?.rowCount;
  console.log(
    `${label.padEnd(34)} ${rows != null ? `${rows.toLocaleString("en-US")} rows`.padStart(16) : "".padStart(16)}  ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
};

await recreate();
process.env.DATABASE_URL = url.toString();
const { getDb, closeDb } = await import("@/db");
await getDb(); // applies the migrations
const { hashPassword } = await import("@/lib/auth/password");
const { DEFAULT_MODEL_PRICES } = await import("@/lib/models/catalogue");
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
const q = (text: string, values?: unknown[]) => client.query(text, values);

const password = await hashPassword("correct horse battery");
const { rows: teamRows } = await q(`insert into teams (name) values ('Bench team') returning id`);
const teamId = teamRows[0].id as string;
await step("users + memberships", () =>
  q(
    `with u as (
       insert into users (email, name, password_hash)
       select case when g = 1 then 'admin@bench.example' else 'dev' || g || '@bench.example' end,
              case when g = 1 then 'Bench Admin' else 'Developer ' || g end, $2
       from generate_series(1, 12) g returning id, email)
     insert into memberships (team_id, user_id, role)
     select $1, id, case when email = 'admin@bench.example' then 'admin' else 'developer' end from u`,
    [teamId, password],
  ),
);
for (const price of DEFAULT_MODEL_PRICES) {
  await q(
    `insert into model_prices (team_id, model, input_per_mtok, output_per_mtok, cache_write_per_mtok, cache_read_per_mtok, context_window,
       long_prompt_above_tokens, long_input_per_mtok, long_output_per_mtok, long_cache_write_per_mtok, long_cache_read_per_mtok)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      teamId,
      price.model,
      price.inputPerMtok,
      price.outputPerMtok,
      price.cacheWritePerMtok,
      price.cacheReadPerMtok,
      price.contextWindow,
      "longPromptAboveTokens" in price ? price.longPromptAboveTokens : null,
      "longInputPerMtok" in price ? price.longInputPerMtok : null,
      "longOutputPerMtok" in price ? price.longOutputPerMtok : null,
      "longCacheWritePerMtok" in price ? price.longCacheWritePerMtok : null,
      "longCacheReadPerMtok" in price ? price.longCacheReadPerMtok : null,
    ],
  );
}
await step("agents + repositories", async () => {
  await q(
    `insert into agents (team_id, name, model)
     select $1, 'agent-' || g, (array['claude-haiku-4-5','claude-sonnet-4-5','claude-opus-4-5','acme-coder-1'])[1 + g % 4]
     from generate_series(1, 8) g`,
    [teamId],
  );
  return q(
    `insert into repositories (team_id, name, source, default_branch)
     select $1, 'repo-' || g, '/nonexistent/repo-' || g, 'main' from generate_series(1, 6) g`,
    [teamId],
  );
});

// Tasks spread evenly over the past year; outcome by a hash of the number. Recent unfinished ones are in
// review; the rest ended.
await step("tasks", () =>
  q(
    `with a as (select array_agg(id order by name) ids from agents where team_id = $1),
          r as (select array_agg(id order by name) ids from repositories where team_id = $1),
          u as (select array_agg(user_id order by user_id) ids from memberships where team_id = $1),
          g as (select g, (g * 7919) % 100 as h,
                       now() - interval '365 days' + (g::float8 / $2) * interval '365 days' as created
                from generate_series(1, $2) g)
     insert into tasks (team_id, number, title, prompt, repo_id, agent_id, base_branch, status, assigned_by,
                        reviewer_id, created_at, updated_at, closed_at, merged_at, approved_at)
     select $1, g, 'Task ' || g, 'Do thing ' || g, r.ids[1 + g % 6], a.ids[1 + (g * 3) % 8], 'main', s.status,
            u.ids[1 + g % 12], u.ids[1 + (g + 5) % 12], created, created + interval '3 hours',
            case when s.status in ('merged', 'discarded') then created + interval '3 hours' end,
            case when s.status = 'merged' then created + interval '3 hours' end,
            case when s.status = 'merged' then created + interval '170 minutes' end
     from g, a, r, u,
          lateral (select case when h < 55 then 'merged' when h < 68 then 'failed' when h < 78 then 'discarded'
                               when h < 83 then 'cancelled' when h < 88 and created > now() - interval '20 days'
                               then 'in_review' else 'merged' end as status) s`,
    [teamId, TASKS],
  ),
);

// 3–6 runs per task, 40 minutes apart; the last one has the task's outcome.
await step("runs", () =>
  q(
    `insert into runs (team_id, task_id, agent_id, model, status, kind, branch, started_by, steps,
                       input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, cost_usd, unpriced,
                       model_ms, tool_ms, human_wait_ms, verify_exit_code, queued_at, started_at, finished_at, last_seq)
     select t.team_id, t.id, t.agent_id, ag.model,
            case when i < n then 'succeeded' when t.status = 'failed' then 'failed'
                 when t.status = 'cancelled' then 'cancelled' else 'succeeded' end,
            case when i = 1 then 'initial' else 'follow_up' end,
            'foreman/' || t.number || '-task', t.assigned_by, 5 + (t.number + i) % 20,
            tok.input, tok.output, tok.cw, tok.cr,
            coalesce(round((tok.input * p.input_per_mtok + tok.output * p.output_per_mtok
                            + tok.cw * p.cache_write_per_mtok + tok.cr * p.cache_read_per_mtok) / 1e6, 6), 0),
            p.model is null,
            dur.ms * 0.6, dur.ms * 0.3, case when (t.number + i) % 10 = 0 then 60000 else 0 end,
            case when (t.number + i) % 7 = 0 then 1 else 0 end,
            t.created_at + (i - 1) * interval '40 minutes',
            t.created_at + (i - 1) * interval '40 minutes' + interval '10 seconds',
            t.created_at + (i - 1) * interval '40 minutes' + interval '10 seconds' + dur.ms * interval '1 millisecond',
            ${EVENTS_PER_RUN}
     from tasks t
     join agents ag on ag.id = t.agent_id
     left join model_prices p on p.team_id = t.team_id and p.model = ag.model
     cross join lateral (select 3 + t.number % 4 as n) c
     cross join lateral generate_series(1, c.n) i
     cross join lateral (select 20000 + (t.number * 37 + i * 101) % 180000 as input,
                                2000 + (t.number * 13 + i * 7) % 18000 as output,
                                (t.number * 11 + i) % 8000 as cw, (t.number * 17 + i) % 60000 as cr) tok
     cross join lateral (select (60000 + ((t.number * 31 + i * 53) % 1740) * 1000)::bigint as ms) dur
     where t.team_id = $1`,
    [teamId],
  ),
);

await step("run_events", () =>
  q(
    `insert into run_events (run_id, seq, team_id, type, payload, created_at)
     select r.id, s, r.team_id,
            (array['status_changed','assistant_message','tool_call','tool_result','assistant_message',
                   'tool_call','tool_result','assistant_message','checkpoint','run_finished'])[s],
            case when s = 10 then jsonb_build_object('status', r.status, 'stopReason', 'end_turn')
                 when s in (2, 5, 8) then jsonb_build_object('text', 'step ' || s, 'model', r.model,
                   'usage', jsonb_build_object('inputTokens', r.input_tokens / 3, 'outputTokens', r.output_tokens / 3),
                   'costUsd', round(r.cost_usd / 3, 6), 'unpriced', r.unpriced)
                 else jsonb_build_object('n', s) end,
            r.queued_at + s * interval '1 second'
     from runs r cross join generate_series(1, ${EVENTS_PER_RUN}) s
     where r.team_id = $1`,
    [teamId],
  ),
);

// A review of every run that succeeded: changes requested for all but a task's last run; the last one is
// approved when the task merged. Submitted 30–150 minutes after the run ended.
await step("reviews", () =>
  q(
    `insert into reviews (team_id, task_id, run_id, reviewer_id, decision, created_at)
     select r.team_id, r.task_id, r.id, t.reviewer_id,
            case when r.queued_at < last.queued_at then 'changes_requested' else 'approved' end,
            r.finished_at + ((30 + t.number % 120) * interval '1 minute')
     from runs r join tasks t on t.id = r.task_id
     cross join lateral (select max(x.queued_at) as queued_at from runs x where x.task_id = r.task_id) last
     where r.team_id = $1 and r.status = 'succeeded'
       and (r.queued_at < last.queued_at or t.status = 'merged')`,
    [teamId],
  ),
);
// The rows above marked every day of the year dirty (the rollup triggers); write the daily rollup as the
// first metrics page load after midnight would, for every day up to today included.
const { compactMetricsDays } = await import("@/lib/metrics/rollup/compact");
await step("metrics rollup (compaction)", () =>
  compactMetricsDays(teamId, { before: new Date(Date.now() + 86_400_000), lockTimeoutMs: 60_000 }),
);
// A database a year old has been vacuumed by autovacuum: index-only scans see the visibility map.
await step("vacuum analyze", () => q("vacuum analyze"));

const { rows: counts } = await q(
  `select (select count(*) from tasks)::int tasks, (select count(*) from runs)::int runs,
          (select count(*) from run_events)::int events, (select count(*) from reviews)::int reviews,
          (select count(*) from metrics_run_days)::int run_days, (select count(*) from metrics_review_days)::int review_days,
          (select count(*) from metrics_task_days)::int task_days`,
);
console.log(`\n${dbName}: ${JSON.stringify(counts[0])} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
await client.end();
await closeDb();
