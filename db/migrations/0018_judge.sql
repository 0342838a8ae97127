CREATE TABLE "judgings" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"attempts" jsonb NOT NULL,
	"ranking" jsonb,
	"summary" text,
	"first_pick_branch" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ranked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "promoted_judge_pick" boolean;--> statement-breakpoint
ALTER TABLE "judgings" ADD CONSTRAINT "judgings_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgings" ADD CONSTRAINT "judgings_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "judgings_task_id_index" ON "judgings" USING btree ("task_id");