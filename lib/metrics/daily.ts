import "server-only";
import { sql } from "drizzle-orm";
import { endedTasksCte } from "./ended-tasks";
import { queryRows } from "./sql";

const DAY = (column: string) => sql.raw(`to_char((${column} at time zone 'UTC')::date, 'YYYY-MM-DD')`);

export interface TasksDailyRow {
  day: string;
  ended: number;
  merged: number;
}

/** Tasks that ended per UTC day, and how many of them merged (the day's success rate). */
export async function tasksDaily(teamId: string, from: Date, to: Date) {
  return queryRows<TasksDailyRow>(sql`
    with ${endedTasksCte(teamId, from, to, "agent")}
    select ${DAY("ended_at")} as day, count(*)::int as ended,
      count(*) filter (where status = 'merged')::int as merged
    from ended group by 1`);
}
