import { apiRoute, parseWith, readOptionalJson } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { approveSchema } from "@/lib/reviews/schema";
import { approveTask } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

/**
 * Approves the task in review (refused for one's own task when the team requires independent approval).
 * Optional body {runId, body}: with several agents, which agent's branch (any run of it) is approved;
 * `body` (or `comment`) is a note kept with the approval.
 */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const input = parseWith(approveSchema, await readOptionalJson(request));
  const task = await approveTask(actor, params.id, input);
  return { task: serializeTask(task) };
});
