import "server-only";
import { sql } from "drizzle-orm";
import { queryRows } from "./sql";

export interface OpenReviewsRow {
  reviewer_id: string | null;
  reviewer_name: string | null;
  open: number;
  /** When the longest-waiting of them entered review (the end of its latest succeeded run). */
  oldest_since: string | null;
}

/** Where reviews are waiting now: tasks in review per reviewer (not bound to the range). */
export async function openReviews(teamId: string) {
  const rows = await queryRows<OpenReviewsRow>(sql`
    select t.reviewer_id, u.name as reviewer_name, count(*)::int as open,
      min(coalesce((select max(r.finished_at) from runs r where r.task_id = t.id and r.kind <> 'judge'), t.updated_at)) as oldest_since
    from tasks t left join users u on u.id = t.reviewer_id
    where t.team_id = ${teamId} and t.status = 'in_review'
    group by t.reviewer_id, u.name
    order by open desc, oldest_since asc`);
  return rows.map((row) => ({
    reviewerId: row.reviewer_id,
    reviewerName: row.reviewer_name ?? "Unassigned",
    open: row.open,
    oldestSince: row.oldest_since ? new Date(row.oldest_since) : null,
  }));
}
