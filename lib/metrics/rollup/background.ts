import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
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
  let running = false;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      const compacted = await compactAllTeams();
      const days = [...compacted.values()].reduce((sum, n) => sum + n, 0);
      if (days > 0) console.log(`[metrics] compacted ${days} day(s) of ${compacted.size} team(s)`);
    } catch (error) {
      console.error("[metrics] background compaction:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void pass(), options.firstAfterMs ?? 30_000);
  const every = setInterval(() => void pass(), options.everyMs ?? 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
