// Recomputes a repository's predicted overlaps soon after something moved: a run's checkpoint or end
// (its branch), a merge, a discard or any other change of a task (the base, the set of open tasks).
// Bursts are coalesced per repository, and one repository is computed at a time per process.
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { OPEN_TASK_STATUSES, runs, tasks } from "@/db/schema";
import { subscribe, subscribeTeamChanges } from "@/lib/events/bus";
import { handBackBaseConflicts } from "./auto-resolve";
import { refreshOverlaps } from "./refresh";

const COALESCE_MS = 1_000;
const MOVED = new Set(["checkpoint", "run_finished"]);

/** One repository's refresh, then the automatic hand-backs its team may have asked for. */
async function refreshRepository(repoId: string) {
  const { newBaseConflicts } = await refreshOverlaps(repoId);
  if (newBaseConflicts.length > 0) await handBackBaseConflicts(newBaseConflicts);
}

export function overlapScheduler(refresh: (repoId: string) => Promise<unknown> = refreshRepository) {
  const timers = new Map<string, NodeJS.Timeout>();
  let chain: Promise<unknown> = Promise.resolve();
  const schedule = (repoId: string) => {
    if (timers.has(repoId)) return;
    const timer = setTimeout(() => {
      timers.delete(repoId);
      chain = chain
        .then(() => refresh(repoId))
        .catch((error) =>
          console.error(`[overlaps] repository ${repoId}:`, error instanceof Error ? error.message : error),
        );
    }, COALESCE_MS);
    timer.unref();
    timers.set(repoId, timer);
  };
  return {
    schedule,
    stop: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    idle: () => chain,
  };
}

/** Started once by the web server: watches every team's runs and tasks. */
export async function startOverlapWatcher(): Promise<() => void> {
  const scheduler = overlapScheduler();
  const repoOfTask = async (taskId: string) => {
    const db = await getDb();
    const [row] = await db.select({ repoId: tasks.repoId }).from(tasks).where(eq(tasks.id, taskId));
    return row?.repoId;
  };
  const repoOfRun = async (runId: string) => {
    const db = await getDb();
    const [row] = await db
      .select({ repoId: tasks.repoId })
      .from(runs)
      .innerJoin(tasks, eq(tasks.id, runs.taskId))
      .where(eq(runs.id, runId));
    return row?.repoId;
  };
  const later = (find: Promise<string | undefined>) =>
    void find.then((repoId) => repoId && scheduler.schedule(repoId)).catch(() => {});
  const stopRuns = await subscribe({}, (notice) => {
    if (notice.types?.some((type) => MOVED.has(type))) later(repoOfRun(notice.runId));
  });
  const stopTasks = await subscribeTeamChanges(undefined, (change) => {
    if (change.taskId) later(repoOfTask(change.taskId));
  });
  // Whatever moved while no server watched: every repository with open tasks, once, soon after start.
  const initial = setTimeout(async () => {
    try {
      const db = await getDb();
      const repos = await db
        .selectDistinct({ repoId: tasks.repoId })
        .from(tasks)
        .where(inArray(tasks.status, [...OPEN_TASK_STATUSES]));
      for (const { repoId } of repos) scheduler.schedule(repoId);
    } catch (error) {
      console.error("[overlaps] first pass:", error instanceof Error ? error.message : error);
    }
  }, 5_000);
  initial.unref();
  return () => {
    clearTimeout(initial);
    stopRuns();
    stopTasks();
    scheduler.stop();
  };
}
