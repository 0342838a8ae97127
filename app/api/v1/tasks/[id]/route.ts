import { apiRoute } from "@/lib/api/route";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import { getTask } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

/** The task with its runs, newest first. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const { task, runs } = await getTask(actor, params.id);
  return { task: serializeTask(task), runs: runs.map(serializeRun) };
});
