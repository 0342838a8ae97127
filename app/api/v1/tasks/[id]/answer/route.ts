import { apiRoute, parseWith, readJson } from "@/lib/api/route";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import { answerAgent } from "@/lib/reviews/answer";
import { answerSchema } from "@/lib/reviews/schema";

export const dynamic = "force-dynamic";

/**
 * Answers the agent of a task in Needs a human (it asked a question, was blocked, or changed nothing):
 * body {answer, runId?}. The answer goes to the same agent as a follow-up run on the same branch.
 */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const input = parseWith(answerSchema, await readJson(request));
  const { task, run } = await answerAgent(actor, params.id, input);
  return { task: serializeTask(task), run: serializeRun(run) };
});
