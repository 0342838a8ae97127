ALTER TABLE "review_comments" ADD COLUMN "commit_sha" text;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "line_text" text;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "context" text;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "answered_by_run_id" uuid;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_comments" ADD CONSTRAINT "review_comments_answered_by_run_id_runs_id_fk" FOREIGN KEY ("answered_by_run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Backfill: comments sent with a request for changes were answered by the follow-up run queued from the
-- run they were submitted on (the earliest one queued after they were sent).
UPDATE "review_comments" AS c SET "answered_by_run_id" = f."run_id"
FROM (
  SELECT DISTINCT ON (c2."id") c2."id" AS "comment_id", r."id" AS "run_id"
  FROM "review_comments" AS c2
  JOIN "runs" AS r ON r."parent_run_id" = c2."run_id" AND r."kind" = 'follow_up'
    AND r."queued_at" >= c2."submitted_at" - interval '1 minute'
  WHERE c2."status" = 'submitted'
  ORDER BY c2."id", r."queued_at"
) AS f
WHERE f."comment_id" = c."id";
