ALTER TABLE "tasks" ADD COLUMN "promoted_run_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "promoted_branch" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "promoted_by" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "promoted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_promoted_by_users_id_fk" FOREIGN KEY ("promoted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;