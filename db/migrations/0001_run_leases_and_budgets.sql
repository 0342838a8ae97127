ALTER TABLE "agents" ADD COLUMN "max_concurrent_runs" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "max_steps" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "max_cost_usd" numeric(12, 4) DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "max_duration_sec" integer DEFAULT 1800 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "kind" text DEFAULT 'initial' NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "last_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "model_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "tool_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "human_wait_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "runs_claimable_idx" ON "runs" USING btree ("status","queued_at");