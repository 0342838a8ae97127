import { sessionRoute } from "@/lib/api/session-route";
import { taskWithRunsView } from "@/lib/runs/views";
import { taskDependenciesView } from "@/lib/tasks/dependency-queries";
import { getTask } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

/** A task and its runs for the task page's query cache, refetched when a team change names it. */
export const GET = sessionRoute<{ id: string }>(async ({ actor, params }) => {
  const { task, runs } = await getTask(actor, params.id);
  return taskWithRunsView(task, runs, await taskDependenciesView(actor, task));
});
