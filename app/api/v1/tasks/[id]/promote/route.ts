import { apiRoute, readOptionalJson } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { promoteAttempt } from "@/lib/compare/promote";

export const dynamic = "force-dynamic";

/**
 * Promotes one attempt of a task given to several agents: body {runId} (any run of its branch). The
 * other attempts are closed with their branches; 409 while any run of the task works.
 */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const result = await promoteAttempt(actor, params.id, await readOptionalJson(request));
  return {
    task: serializeTask(result.task),
    branch: result.branch,
    closedBranches: result.closedBranches,
    keptBranches: result.keptBranches,
  };
});
