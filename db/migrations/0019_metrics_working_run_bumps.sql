-- A working run's per-step totals (tokens, cost, model and tool time) no longer mark its days dirty at every
-- step: compaction leaves the days of working runs (their queued day, their task's end) dirty instead
-- (lib/metrics/rollup/compact.ts), so reads recompute them from the raw rows until the run ends, and the run's
-- end (a status change) marks them as before. Saves the rollup trigger on two statements of every step.
DROP TRIGGER metrics_runs_updated ON runs;--> statement-breakpoint
CREATE TRIGGER metrics_runs_updated AFTER UPDATE ON runs FOR EACH ROW
  WHEN ((OLD.team_id, OLD.task_id, OLD.agent_id, OLD.model, OLD.status, OLD.queued_at, OLD.started_at,
         OLD.finished_at, OLD.cost_usd, OLD.unpriced, OLD.input_tokens, OLD.output_tokens, OLD.cache_write_tokens,
         OLD.cache_read_tokens, OLD.model_ms, OLD.tool_ms, OLD.human_wait_ms, OLD.verify_exit_code)
        IS DISTINCT FROM
        (NEW.team_id, NEW.task_id, NEW.agent_id, NEW.model, NEW.status, NEW.queued_at, NEW.started_at,
         NEW.finished_at, NEW.cost_usd, NEW.unpriced, NEW.input_tokens, NEW.output_tokens, NEW.cache_write_tokens,
         NEW.cache_read_tokens, NEW.model_ms, NEW.tool_ms, NEW.human_wait_ms, NEW.verify_exit_code)
    AND NOT (NEW.status IN ('running', 'waiting_approval', 'verifying')
         AND (OLD.team_id, OLD.task_id, OLD.agent_id, OLD.model, OLD.status, OLD.queued_at, OLD.started_at,
              OLD.finished_at, OLD.verify_exit_code)
             IS NOT DISTINCT FROM
             (NEW.team_id, NEW.task_id, NEW.agent_id, NEW.model, NEW.status, NEW.queued_at, NEW.started_at,
              NEW.finished_at, NEW.verify_exit_code)))
  EXECUTE FUNCTION metrics_runs_changed();
