import { apiRoute, readJson } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { authorize } from "@/lib/auth/permissions";
import { taskDependencyFields } from "@/lib/tasks/dependency-queries";
import { setTaskDependencies } from "@/lib/tasks/set-dependencies";

export const dynamic = "force-dynamic";

/** {dependsOn: [taskId, …]}: replaces what a task that hasn't started yet waits on. */
export const PUT = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  authorize(actor, "tasks:assign");
  const body = await readJson(request);
  const { task } = await setTaskDependencies(actor, params.id, { dependsOn: body.dependsOn as string[] });
  const dependencies = (await taskDependencyFields(actor, [task])).get(task.id);
  return { task: { ...serializeTask(task), ...dependencies } };
});
