CREATE TABLE "task_base_conflicts" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"repo_id" uuid NOT NULL,
	"files" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_overlaps" (
	"task_id" uuid NOT NULL,
	"other_task_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"repo_id" uuid NOT NULL,
	"files" jsonb NOT NULL,
	"conflict_files" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_overlaps_task_id_other_task_id_pk" PRIMARY KEY("task_id","other_task_id")
);
--> statement-breakpoint
ALTER TABLE "task_base_conflicts" ADD CONSTRAINT "task_base_conflicts_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_base_conflicts" ADD CONSTRAINT "task_base_conflicts_repo_id_repositories_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_overlaps" ADD CONSTRAINT "task_overlaps_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_overlaps" ADD CONSTRAINT "task_overlaps_other_task_id_tasks_id_fk" FOREIGN KEY ("other_task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_overlaps" ADD CONSTRAINT "task_overlaps_repo_id_repositories_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_base_conflicts_repo_id_index" ON "task_base_conflicts" USING btree ("repo_id");--> statement-breakpoint
CREATE INDEX "task_overlaps_repo_id_index" ON "task_overlaps" USING btree ("repo_id");