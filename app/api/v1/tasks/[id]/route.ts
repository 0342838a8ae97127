import { apiRoute } from "@/lib/api/route";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import { baseConflictsOf, overlapsOf, serializeOverlap } from "@/lib/conflicts/queries";
import { taskDependencyFields } from "@/lib/tasks/dependency-queries";
import { getTask } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

/** The task with its runs, newest first, its predicted overlaps with other open tasks, and what it waits on. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const { task, runs } = await getTask(actor, params.id);
  const overlaps = (await overlapsOf(actor, [task.id])).get(task.id) ?? [];
  const baseConflict = (await baseConflictsOf(actor, [task.id])).get(task.id) ?? null;
  const dependencies = (await taskDependencyFields(actor, [task])).get(task.id);
  return {
    task: {
      ...serializeTask(task),
      ...dependencies,
      overlaps: overlaps.map(serializeOverlap),
      baseConflictFiles: baseConflict,
    },
    runs: runs.map(serializeRun),
  };
});
