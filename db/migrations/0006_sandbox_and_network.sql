ALTER TABLE "agents" ADD COLUMN "sandbox_limits" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "network" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "allowed_hosts" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "sandbox" jsonb;