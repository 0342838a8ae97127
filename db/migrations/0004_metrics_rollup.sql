CREATE TABLE "metrics_dirty_days" (
	"team_id" uuid NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "metrics_dirty_days_team_id_day_pk" PRIMARY KEY("team_id","day")
);
--> statement-breakpoint
CREATE TABLE "metrics_review_days" (
	"team_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid,
	"model" text,
	"repo_id" uuid,
	"person_id" uuid,
	"reviews" integer DEFAULT 0 NOT NULL,
	"approvals" integer DEFAULT 0 NOT NULL,
	"changes_requested" integer DEFAULT 0 NOT NULL,
	"turnaround_ms" double precision[] DEFAULT '{}' NOT NULL,
	"first_review_ms" double precision[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics_run_days" (
	"team_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid,
	"model" text,
	"repo_id" uuid,
	"person_id" uuid,
	"runs" integer DEFAULT 0 NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"cancelled" integer DEFAULT 0 NOT NULL,
	"unpriced_runs" integer DEFAULT 0 NOT NULL,
	"spend" numeric(18, 6) DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_write_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_read_tokens" bigint DEFAULT 0 NOT NULL,
	"ran" integer DEFAULT 0 NOT NULL,
	"queue_ms" numeric DEFAULT 0 NOT NULL,
	"model_ms" numeric DEFAULT 0 NOT NULL,
	"tool_ms" numeric DEFAULT 0 NOT NULL,
	"human_ms" numeric DEFAULT 0 NOT NULL,
	"verified" integer DEFAULT 0 NOT NULL,
	"verify_passed" integer DEFAULT 0 NOT NULL,
	"wall_ms" double precision[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics_task_days" (
	"team_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid,
	"model" text,
	"repo_id" uuid,
	"person_id" uuid,
	"ended" integer DEFAULT 0 NOT NULL,
	"merged" integer DEFAULT 0 NOT NULL,
	"discarded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"cancelled" integer DEFAULT 0 NOT NULL,
	"merged_first_try" integer DEFAULT 0 NOT NULL,
	"merged_cost" numeric(18, 6) DEFAULT 0 NOT NULL,
	"merged_unpriced" integer DEFAULT 0 NOT NULL,
	"merged_human_ms" numeric DEFAULT 0 NOT NULL,
	"reviewed" integer DEFAULT 0 NOT NULL,
	"review_rounds" integer DEFAULT 0 NOT NULL,
	"time_in_review_ms" double precision[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "metrics_review_days" ADD CONSTRAINT "metrics_review_days_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics_run_days" ADD CONSTRAINT "metrics_run_days_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics_task_days" ADD CONSTRAINT "metrics_task_days_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metrics_review_days_team_id_day_index" ON "metrics_review_days" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "metrics_run_days_team_id_day_index" ON "metrics_run_days" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "metrics_task_days_team_id_day_index" ON "metrics_task_days" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "tasks_team_id_ended_at_index" ON "tasks" USING btree ("team_id","ended_at");--> statement-breakpoint
-- Upkeep of the metrics rollup (db/schema/metrics.ts, lib/metrics/rollup). Every change to a row that a
-- metric depends on marks the UTC days it affects dirty, in the same transaction; reads recompute dirty days
-- from the raw rows and lib/metrics/rollup/compact.ts rewrites them into the rollup tables. Triggers, not
-- service code, so no path that writes runs, tasks or reviews (engine, reviews, cancels, imports) can forget.
CREATE FUNCTION metrics_day(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT (ts AT TIME ZONE 'UTC')::date
$$;
--> statement-breakpoint
-- Writers hold this lock shared until they commit (they never wait for each other); compaction takes it
-- exclusively, so it never reads a day while a transaction that marked it, or is about to, is still open.
CREATE FUNCTION metrics_mark_days(team uuid, days date[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF team IS NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(736045, hashtext(team::text));
  -- In day order: two writers marking the same new days wait for each other in one order, never in a cycle.
  INSERT INTO metrics_dirty_days (team_id, day)
    SELECT DISTINCT team, d FROM unnest(days) AS d WHERE d IS NOT NULL ORDER BY 2
    ON CONFLICT DO NOTHING;
END
$$;
--> statement-breakpoint
-- When a task ended: merged or discarded, when it was closed; failed or cancelled, when the run that ended
-- it (its latest) finished. Falls back to the status change for a task without a finished run.
CREATE FUNCTION metrics_task_ended_at(t tasks) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN t.status IN ('merged', 'discarded') THEN coalesce(t.closed_at, t.merged_at, t.updated_at)
    WHEN t.status IN ('failed', 'cancelled') THEN coalesce(
      t.closed_at,
      (SELECT r.finished_at FROM runs r WHERE r.task_id = t.id ORDER BY r.queued_at DESC, r.id DESC LIMIT 1),
      t.updated_at)
  END
$$;
--> statement-breakpoint
-- Days a change to a task's runs or reviews affects besides their own: the task's end (its outcome sums)
-- and, with_reviews, the days of its reviews (turnaround, time to first review, the task's model).
CREATE FUNCTION metrics_days_of_tasks(task_ids uuid[], with_reviews boolean) RETURNS date[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT metrics_day(t.ended_at) FROM tasks t WHERE t.id = ANY(task_ids))
    || CASE WHEN with_reviews
         THEN ARRAY(SELECT DISTINCT metrics_day(v.created_at) FROM reviews v WHERE v.task_id = ANY(task_ids))
         ELSE '{}'::date[] END
$$;
--> statement-breakpoint
CREATE FUNCTION metrics_tasks_set_ended_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.ended_at := metrics_task_ended_at(NEW);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE FUNCTION metrics_tasks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  days date[] := ARRAY[metrics_day(OLD.ended_at), metrics_day(NEW.ended_at)];
BEGIN
  -- Its runs and reviews are grouped under its agent, repository and person: a change moves them.
  IF TG_OP = 'UPDATE' AND (OLD.agent_id, OLD.repo_id, OLD.assigned_by)
      IS DISTINCT FROM (NEW.agent_id, NEW.repo_id, NEW.assigned_by) THEN
    days := days
      || ARRAY(SELECT DISTINCT metrics_day(r.queued_at) FROM runs r WHERE r.task_id = NEW.id)
      || ARRAY(SELECT DISTINCT metrics_day(v.created_at) FROM reviews v WHERE v.task_id = NEW.id);
  END IF;
  PERFORM metrics_mark_days(coalesce(NEW.team_id, OLD.team_id), days);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION metrics_runs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  task_ids uuid[] := array_remove(ARRAY[OLD.task_id, NEW.task_id], NULL);
  -- False for a running run's cost and time bumps: they change only its day and its task's sums.
  reshaped boolean := TG_OP <> 'UPDATE' OR (OLD.task_id, OLD.model, OLD.status, OLD.queued_at, OLD.finished_at)
    IS DISTINCT FROM (NEW.task_id, NEW.model, NEW.status, NEW.queued_at, NEW.finished_at);
BEGIN
  IF reshaped THEN
    -- A failed or cancelled task ends when its latest run finishes (for rows written in any order).
    UPDATE tasks t SET ended_at = metrics_task_ended_at(t)
      WHERE t.id = ANY(task_ids) AND t.status IN ('failed', 'cancelled')
        AND t.ended_at IS DISTINCT FROM metrics_task_ended_at(t);
  END IF;
  -- The run's own day; its task's end (cost, approvals, model of the latest run); when reshaped, the task's
  -- reviews (turnaround from the reviewed run, time to first review, model).
  PERFORM metrics_mark_days(coalesce(NEW.team_id, OLD.team_id),
    ARRAY[metrics_day(OLD.queued_at), metrics_day(NEW.queued_at)] || metrics_days_of_tasks(task_ids, reshaped));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION metrics_reviews_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  task_ids uuid[] := array_remove(ARRAY[OLD.task_id, NEW.task_id], NULL);
BEGIN
  -- The review's day; its task's end (rounds, review waits); every review day of the task (which review
  -- is the first decides the time to first review).
  PERFORM metrics_mark_days(coalesce(NEW.team_id, OLD.team_id),
    ARRAY[metrics_day(OLD.created_at), metrics_day(NEW.created_at)] || metrics_days_of_tasks(task_ids, true));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Backfill: every ended task's end, then every day with history marked dirty (the first compaction writes the
-- rollup; until then reads recompute those days, with the same numbers). Triggers are created after, so the
-- backfill is a few set-based statements.
UPDATE tasks t SET ended_at = metrics_task_ended_at(t) WHERE t.status IN ('merged', 'discarded', 'failed', 'cancelled');
--> statement-breakpoint
INSERT INTO metrics_dirty_days (team_id, day)
  SELECT team_id, metrics_day(queued_at) FROM runs
  UNION SELECT team_id, metrics_day(created_at) FROM reviews
  UNION SELECT team_id, metrics_day(ended_at) FROM tasks WHERE ended_at IS NOT NULL
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER metrics_tasks_ended_at BEFORE INSERT OR UPDATE OF status, closed_at, merged_at ON tasks
  FOR EACH ROW EXECUTE FUNCTION metrics_tasks_set_ended_at();
--> statement-breakpoint
CREATE TRIGGER metrics_tasks_changed AFTER INSERT OR DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION metrics_tasks_changed();
--> statement-breakpoint
CREATE TRIGGER metrics_tasks_updated AFTER UPDATE ON tasks FOR EACH ROW
  WHEN ((OLD.status, OLD.ended_at, OLD.agent_id, OLD.repo_id, OLD.assigned_by)
        IS DISTINCT FROM (NEW.status, NEW.ended_at, NEW.agent_id, NEW.repo_id, NEW.assigned_by))
  EXECUTE FUNCTION metrics_tasks_changed();
--> statement-breakpoint
CREATE TRIGGER metrics_runs_changed AFTER INSERT OR DELETE ON runs
  FOR EACH ROW EXECUTE FUNCTION metrics_runs_changed();
--> statement-breakpoint
-- Only columns a metric reads: the engine's per-event bumps (last_seq, lease) never fire it.
CREATE TRIGGER metrics_runs_updated AFTER UPDATE ON runs FOR EACH ROW
  WHEN ((OLD.team_id, OLD.task_id, OLD.agent_id, OLD.model, OLD.status, OLD.queued_at, OLD.started_at,
         OLD.finished_at, OLD.cost_usd, OLD.unpriced, OLD.input_tokens, OLD.output_tokens, OLD.cache_write_tokens,
         OLD.cache_read_tokens, OLD.model_ms, OLD.tool_ms, OLD.human_wait_ms, OLD.verify_exit_code)
        IS DISTINCT FROM
        (NEW.team_id, NEW.task_id, NEW.agent_id, NEW.model, NEW.status, NEW.queued_at, NEW.started_at,
         NEW.finished_at, NEW.cost_usd, NEW.unpriced, NEW.input_tokens, NEW.output_tokens, NEW.cache_write_tokens,
         NEW.cache_read_tokens, NEW.model_ms, NEW.tool_ms, NEW.human_wait_ms, NEW.verify_exit_code))
  EXECUTE FUNCTION metrics_runs_changed();
--> statement-breakpoint
CREATE TRIGGER metrics_reviews_changed AFTER INSERT OR DELETE ON reviews
  FOR EACH ROW EXECUTE FUNCTION metrics_reviews_changed();
--> statement-breakpoint
CREATE TRIGGER metrics_reviews_updated AFTER UPDATE ON reviews FOR EACH ROW
  WHEN ((OLD.task_id, OLD.run_id, OLD.decision, OLD.created_at)
        IS DISTINCT FROM (NEW.task_id, NEW.run_id, NEW.decision, NEW.created_at))
  EXECUTE FUNCTION metrics_reviews_changed();
