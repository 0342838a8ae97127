ALTER TABLE "review_comments" ADD COLUMN "side" text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "merged_branch" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "merged_head_sha" text;