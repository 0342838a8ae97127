import { apiRoute } from "@/lib/api/route";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import { baseConflictsOf, overlapsOf, serializeOverlap } from "@/lib/conflicts/queries";
import { getTask } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

/** The task with its runs, newest first, and its predicted overlaps with other open tasks. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const { task, runs } = await getTask(actor, params.id);
  const overlaps = (await overlapsOf(actor, [task.id])).get(task.id) ?? [];
  const baseConflict = (await baseConflictsOf(actor, [task.id])).get(task.id) ?? null;
  return {
    task: {
      ...serializeTask(task),
      overlaps: overlaps.map(serializeOverlap),
      baseConflictFiles: baseConflict,
    },
    runs: runs.map(serializeRun),
  };
});
