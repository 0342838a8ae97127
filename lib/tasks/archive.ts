import "server-only";
// Closed work stays readable for a while: discarding a task, or promoting one attempt of it (which closes
// the others), archives the closed branches in Foreman's clone (lib/git/branches.ts) before deleting them
// in the source, and this sweep deletes the archive once the team's retention period (Settings → General
// → Discarded work) has passed since the close. 0 days keeps it forever. tasks.diff_expired_at records
// when the sweep ran, so the review page can say when and why the diff went.
import { and, eq, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import { getDb } from "@/db";
import { repositories, tasks, teams } from "@/db/schema";
import { deleteTaskArchive } from "@/lib/git/branches";
import { startPeriodic } from "@/lib/server/periodic";
import { teamSettingsSchema } from "@/lib/teams/settings";

const DAY_MS = 86_400_000;

/** The team's retention period in days (0: forever), as Settings → General has it. */
export async function discardedRetentionDays(teamId: string): Promise<number> {
  const db = await getDb();
  const [team] = await db.select({ settings: teams.settings }).from(teams).where(eq(teams.id, teamId));
  return teamSettingsSchema.parse(team?.settings ?? {}).discarded.retentionDays;
}

/** Until when a task discarded at `closedAt` stays readable; null when it is kept forever. */
export function keptUntil(closedAt: Date | null, retentionDays: number): Date | null {
  if (!closedAt || retentionDays <= 0) return null;
  return new Date(closedAt.getTime() + retentionDays * DAY_MS);
}

/**
 * Deletes the archived branches of every task closed longer ago than its team's retention period, team
 * by team: discarded tasks from their discard, the attempts closed by a promotion from the promotion (the
 * archive of a task not discarded holds only those; the promoted branch is archived only if the task is
 * discarded later, and the discard resets diffExpiredAt). Marks each task with the moment. A repository that can't be reached is skipped (tried again on the
 * next pass). Returns the tasks swept.
 */
export async function sweepExpiredArchives(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const teamRows = await db.select({ id: teams.id, settings: teams.settings }).from(teams);
  let swept = 0;
  for (const team of teamRows) {
    const days = teamSettingsSchema.parse(team.settings ?? {}).discarded.retentionDays;
    if (days <= 0) continue;
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const expired = await db
      .select({ id: tasks.id, repoId: repositories.id })
      .from(tasks)
      .innerJoin(repositories, eq(repositories.id, tasks.repoId))
      .where(
        and(
          eq(tasks.teamId, team.id),
          isNull(tasks.diffExpiredAt),
          or(
            and(eq(tasks.status, "discarded"), lt(tasks.closedAt, cutoff)),
            and(ne(tasks.status, "discarded"), isNotNull(tasks.promotedAt), lt(tasks.promotedAt, cutoff)),
          ),
        ),
      );
    for (const task of expired) {
      try {
        await deleteTaskArchive({ id: task.repoId }, task.id);
      } catch (error) {
        console.error(`[archive] task ${task.id}:`, error instanceof Error ? error.message : error);
        continue;
      }
      await db.update(tasks).set({ diffExpiredAt: now }).where(eq(tasks.id, task.id));
      swept += 1;
    }
  }
  return swept;
}

/** Runs the sweep shortly after start and then every `everyMs` (default hourly); never throws. */
export function startArchiveSweep(options: { firstAfterMs?: number; everyMs?: number } = {}): () => void {
  return startPeriodic(
    "archive",
    async () => {
      const swept = await sweepExpiredArchives();
      if (swept > 0) console.log(`[archive] deleted the archived branches of ${swept} closed task(s)`);
    },
    { firstAfterMs: options.firstAfterMs ?? 60_000, everyMs: options.everyMs ?? 3_600_000 },
  );
}
