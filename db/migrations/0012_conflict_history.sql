ALTER TABLE "tasks" ADD COLUMN "conflict_predicted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "merge_conflicted_at" timestamp with time zone;--> statement-breakpoint
-- History so far: the first merge conflict each task's audit trail records, and the conflicts predicted now.
UPDATE "tasks" t SET "merge_conflicted_at" = a.first_at
FROM (
  SELECT object_id, min(created_at) AS first_at FROM "audit_events"
  WHERE action = 'task.merge_conflict' AND object_type = 'task' GROUP BY object_id
) a
WHERE a.object_id = t.id::text;--> statement-breakpoint
UPDATE "tasks" t SET "conflict_predicted_at" = p.first_at
FROM (
  SELECT task_id, min(computed_at) AS first_at FROM (
    SELECT task_id, computed_at FROM "task_overlaps" WHERE jsonb_array_length(conflict_files) > 0
    UNION ALL SELECT task_id, computed_at FROM "task_base_conflicts"
  ) predicted GROUP BY task_id
) p
WHERE p.task_id = t.id;
