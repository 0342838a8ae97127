import { type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";

export const TEAM_CHANGES_CHANNEL = "team_changes";

/**
 * "Something about this team's tasks or runs changed": the board, the inbox and the sidebar badge
 * refetch on it. Carries ids only; listeners read the current state from the database.
 */
export interface TeamChange {
  teamId: string;
  /** settings: a team setting changed (the spend cap): spend meters refresh. */
  kind: "task" | "run" | "approval" | "review" | "settings";
  taskId?: string;
  runId?: string;
}

/** The statement that sends the notice, for a caller that joins it to a statement of its own. */
export function teamChangeNotice(change: TeamChange): SQL {
  return sql`select pg_notify(${TEAM_CHANGES_CHANNEL}, ${JSON.stringify(change)})`;
}

/** Sends the notice when the caller's transaction commits (or at once outside a transaction). */
export async function notifyTeamChange(db: Tx | Db, change: TeamChange): Promise<void> {
  await db.execute(teamChangeNotice(change));
}
