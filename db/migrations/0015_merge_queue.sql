CREATE TABLE "merge_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"repo_id" uuid NOT NULL,
	"base_branch" text NOT NULL,
	"run_id" uuid NOT NULL,
	"branch" text NOT NULL,
	"requested_by" uuid,
	"verify" boolean DEFAULT false NOT NULL,
	"fix_on_refusal" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"exit_code" integer,
	"output" text,
	"merge_sha" text
);
--> statement-breakpoint
ALTER TABLE "merge_queue" ADD CONSTRAINT "merge_queue_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_queue" ADD CONSTRAINT "merge_queue_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_queue" ADD CONSTRAINT "merge_queue_repo_id_repositories_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_queue" ADD CONSTRAINT "merge_queue_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_queue" ADD CONSTRAINT "merge_queue_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "merge_queue_repo_id_base_branch_status_enqueued_at_index" ON "merge_queue" USING btree ("repo_id","base_branch","status","enqueued_at");--> statement-breakpoint
CREATE INDEX "merge_queue_team_id_enqueued_at_index" ON "merge_queue" USING btree ("team_id","enqueued_at");--> statement-breakpoint
CREATE INDEX "merge_queue_task_id_index" ON "merge_queue" USING btree ("task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "merge_queue_one_landing" ON "merge_queue" USING btree ("repo_id","base_branch") WHERE status = 'landing';--> statement-breakpoint
CREATE UNIQUE INDEX "merge_queue_one_open_per_task" ON "merge_queue" USING btree ("task_id") WHERE status in ('waiting', 'landing');