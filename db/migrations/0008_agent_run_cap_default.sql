ALTER TABLE "agents" ALTER COLUMN "max_concurrent_runs" SET DEFAULT 50;--> statement-breakpoint
-- 10 was never anyone's choice (no form set it before this): agents still on it take the new default.
UPDATE "agents" SET "max_concurrent_runs" = 50 WHERE "max_concurrent_runs" = 10;
