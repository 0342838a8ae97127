// Keeps task_overlaps current for one repository: every open task's branches (one per attempt) against
// every other open task's on the same base, from Foreman's clone. Only Foreman writes these refs (the
// run branches at each checkpoint, the base at each fetch), so the clone is the truth without a fetch.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import {
  isAgentWorkRun,
  OPEN_TASK_STATUSES,
  runs,
  taskBaseConflicts,
  taskOverlaps,
  tasks,
} from "@/db/schema";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { clonePath } from "@/lib/git/clone";
import { runGit } from "@/lib/git/runner";
import { type BranchHead, branchChanges, conflictingFiles, predictOverlaps } from "./predict";

/** The commit each ref names; refs that don't exist are left out. */
async function resolveRefs(clone: string, refs: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (refs.length === 0) return found;
  const listed = await runGit(["for-each-ref", "--format=%(refname) %(objectname)", ...refs], {
    gitDir: clone,
  });
  if (listed.code !== 0) return found;
  for (const line of listed.stdout.split("\n")) {
    const [ref, sha] = line.trim().split(" ");
    if (ref && sha) found.set(ref, sha);
  }
  return found;
}

interface PairRow {
  files: Set<string>;
  conflicts: Set<string>;
}

export interface OverlapRefresh {
  /** Anything changed (the board was told). */
  changed: boolean;
  /** Tasks whose branch would now conflict with their base and didn't at the last refresh. */
  newBaseConflicts: string[];
}

/**
 * Recomputes the repository's predicted overlaps between open tasks, and each task's predicted conflict
 * with its base where the base moved on.
 */
export async function refreshOverlaps(repoId: string): Promise<OverlapRefresh> {
  const db = await getDb();
  const open = await db
    .select({ id: tasks.id, teamId: tasks.teamId, baseBranch: tasks.baseBranch })
    .from(tasks)
    .where(and(eq(tasks.repoId, repoId), inArray(tasks.status, [...OPEN_TASK_STATUSES])));
  const branches =
    open.length === 0
      ? []
      : await db
          .selectDistinct({ taskId: runs.taskId, branch: runs.branch })
          .from(runs)
          .where(
            and(
              inArray(
                runs.taskId,
                open.map((task) => task.id),
              ),
              isAgentWorkRun,
            ),
          );
  const clone = clonePath(repoId);
  const refs = await resolveRefs(clone, [
    ...new Set([
      ...branches.map((b) => `refs/heads/${b.branch}`),
      ...open.map((task) => `refs/remotes/origin/${task.baseBranch}`),
    ]),
  ]).catch(() => new Map<string, string>());

  const pairs = new Map<string, PairRow>();
  const byBase = new Map<string, BranchHead[]>();
  const taskOf = new Map(open.map((task) => [task.id, task]));
  for (const { taskId, branch } of branches) {
    const task = taskOf.get(taskId);
    const sha = refs.get(`refs/heads/${branch}`);
    if (!task || !sha) continue;
    const heads = byBase.get(task.baseBranch) ?? [];
    heads.push({ owner: taskId, sha });
    byBase.set(task.baseBranch, heads);
  }
  // The base moved since a branch left it: would merging it now conflict?
  const withBase = new Map<string, Set<string>>();
  for (const [baseBranch, heads] of byBase) {
    const baseSha = refs.get(`refs/remotes/origin/${baseBranch}`);
    if (!baseSha) continue;
    for (const head of heads) {
      if ((await branchChanges(clone, baseSha, head.sha)).mergeBase === baseSha) continue;
      const files = await conflictingFiles(clone, baseSha, head.sha);
      if (files.length === 0) continue;
      const found = withBase.get(head.owner) ?? new Set<string>();
      for (const file of files) found.add(file);
      withBase.set(head.owner, found);
    }
  }
  for (const [baseBranch, heads] of byBase) {
    const baseSha = refs.get(`refs/remotes/origin/${baseBranch}`);
    if (!baseSha || heads.length < 2) continue;
    for (const overlap of await predictOverlaps(clone, baseSha, heads)) {
      for (const [one, other] of [
        [overlap.a.owner, overlap.b.owner],
        [overlap.b.owner, overlap.a.owner],
      ] as const) {
        const key = `${one}:${other}`;
        const row = pairs.get(key) ?? { files: new Set(), conflicts: new Set() };
        for (const file of overlap.files) row.files.add(file);
        for (const file of overlap.conflicts) row.conflicts.add(file);
        pairs.set(key, row);
      }
    }
  }

  const next = [...pairs].map(([key, row]) => {
    const [taskId = "", otherTaskId = ""] = key.split(":");
    return {
      taskId,
      otherTaskId,
      teamId: taskOf.get(taskId)?.teamId ?? "",
      repoId,
      files: [...row.files].sort(),
      conflictFiles: [...row.conflicts].sort(),
    };
  });
  const shape = (rows: { taskId: string; otherTaskId: string; files: string[]; conflictFiles: string[] }[]) =>
    JSON.stringify(
      rows.map((r) => [r.taskId, r.otherTaskId, r.files, r.conflictFiles]).sort((x, y) => (x < y ? -1 : 1)),
    );
  const nextBase = [...withBase].map(([taskId, files]) => ({
    taskId,
    teamId: taskOf.get(taskId)?.teamId ?? "",
    repoId,
    files: [...files].sort(),
  }));
  const baseShape = (rows: { taskId: string; files: string[] }[]) =>
    JSON.stringify(rows.map((r) => [r.taskId, r.files]).sort((x, y) => (x < y ? -1 : 1)));
  return db.transaction(async (tx) => {
    const before = await tx.select().from(taskOverlaps).where(eq(taskOverlaps.repoId, repoId)).for("update");
    const beforeBase = await tx
      .select()
      .from(taskBaseConflicts)
      .where(eq(taskBaseConflicts.repoId, repoId))
      .for("update");
    if (shape(before) === shape(next) && baseShape(beforeBase) === baseShape(nextBase))
      return { changed: false, newBaseConflicts: [] };
    await tx.delete(taskOverlaps).where(eq(taskOverlaps.repoId, repoId));
    if (next.length > 0) await tx.insert(taskOverlaps).values(next);
    await tx.delete(taskBaseConflicts).where(eq(taskBaseConflicts.repoId, repoId));
    if (nextBase.length > 0) await tx.insert(taskBaseConflicts).values(nextBase);
    const touched = new Set([...before, ...next, ...beforeBase, ...nextBase].map((row) => row.taskId));
    for (const taskId of touched) {
      const teamId =
        taskOf.get(taskId)?.teamId ?? [...before, ...beforeBase].find((row) => row.taskId === taskId)?.teamId;
      if (teamId) await notifyTeamChange(tx, { teamId, kind: "task", taskId });
    }
    // Remembered for the parallel-work metrics (predicted conflicts that became real ones).
    const predicted = [
      ...new Set(
        [...next.filter((row) => row.conflictFiles.length > 0), ...nextBase].map((row) => row.taskId),
      ),
    ];
    if (predicted.length > 0) {
      await tx
        .update(tasks)
        .set({ conflictPredictedAt: new Date() })
        .where(and(inArray(tasks.id, predicted), isNull(tasks.conflictPredictedAt)));
    }
    const hadBaseConflict = new Set(beforeBase.map((row) => row.taskId));
    return {
      changed: true,
      newBaseConflicts: nextBase.map((row) => row.taskId).filter((id) => !hadBaseConflict.has(id)),
    };
  });
}
