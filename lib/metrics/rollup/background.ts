import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { startPeriodic } from "@/lib/server/periodic";
import { compactMetricsDays } from "./compact";

/**
 * Compacts every team's dirty days before today. The metrics page compacts its own team after serving it;
 * this also covers teams nobody looked at for a while, and a database just migrated, so their first page
 * load is as fast as the rest. Returns the days rewritten per team.
 */
export async function compactAllTeams(
  options: { lockTimeoutMs?: number } = {},
): Promise<Map<string, number>> {
  const db = await getDb();
  const teams = rowsOf<{ team_id: string }>(
    await db.execute(
      sql`select distinct team_id from metrics_dirty_days where day < (now() at time zone 'UTC')::date`,
    ),
  );
  const compacted = new Map<string, number>();
  for (const { team_id: teamId } of teams) {
    const result = await compactMetricsDays(teamId, { lockTimeoutMs: options.lockTimeoutMs });
    compacted.set(teamId, result.days);
  }
  return compacted;
}

/** Runs compactAllTeams shortly after start and then every `everyMs` (default hourly); never throws. */
export function startBackgroundCompaction(
  options: { firstAfterMs?: number; everyMs?: number } = {},
): () => void {
  return startPeriodic(
    "metrics",
    async () => {
      const compacted = await compactAllTeams();
      const days = [...compacted.values()].reduce((sum, n) => sum + n, 0);
      if (days > 0) console.log(`[metrics] compacted ${days} day(s) of ${compacted.size} team(s)`);
    },
    { firstAfterMs: options.firstAfterMs ?? 30_000, everyMs: options.everyMs ?? 3_600_000 },
  );
}
