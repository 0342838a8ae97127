ALTER TABLE "metrics_run_days" ADD COLUMN "verification_failed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_run_days" ADD COLUMN "no_changes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_run_days" ADD COLUMN "blocked" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "outcome_reason" text;--> statement-breakpoint
-- Backfill from the facts each finished run left: a checkpoint is a changed file, the test command's exit
-- code the verification. Runs that ended by an error, a budget or a cancel failed.
UPDATE runs r SET outcome = CASE
    WHEN r.status IN ('failed', 'cancelled') THEN 'failed'
    WHEN NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.id AND e.type = 'checkpoint') THEN 'no_changes'
    WHEN r.verify_exit_code IS NOT NULL AND r.verify_exit_code <> 0 THEN 'verification_failed'
    ELSE 'changes_ready'
  END
  WHERE r.status IN ('succeeded', 'failed', 'cancelled');
--> statement-breakpoint
-- Every day with runs is recomputed with the new counts at the next read (and compaction).
INSERT INTO metrics_dirty_days (team_id, day)
  SELECT team_id, metrics_day(queued_at) FROM runs
  ON CONFLICT DO NOTHING;
