import { apiRoute, json, readOptionalJson } from "@/lib/api/route";
import { askJudge } from "@/lib/compare/judge";

export const dynamic = "force-dynamic";

/**
 * Asks an agent to judge a task's attempts: body {agentId}. 202 {runId}: the judge's run is queued; its
 * ranking appears in GET /api/v1/tasks/:id/compare (`judge`) when it ends. 409 while any agent works on
 * the task, once an attempt was promoted or merged, with fewer than two attempts that committed anything,
 * or while another judge is at work.
 */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const { run } = await askJudge(actor, params.id, await readOptionalJson(request));
  return json({ runId: run.id, status: run.status }, 202);
});
