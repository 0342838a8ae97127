import { apiRoute, json, parseWith, readOptionalJson } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { mergeTask } from "@/lib/reviews/merge";
import { mergeSchema } from "@/lib/reviews/schema";

export const dynamic = "force-dynamic";

/**
 * Merges the approved task into its base branch through its merge queue. 200 {task} when it lands at
 * once; 202 {queued: true, position, task} when it waits behind other merges on the same base (it lands
 * in the background; the task's status says when); a conflict is 409 with the files, and the base branch
 * is left as it was. {verify: true} runs the tests on the merged result first (else they run when the
 * branch's own passed); {fixOnFailure: true} sends a refused merge back to the agent; {runId} names the
 * approved agent's branch (any run of it) when the task has several.
 */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const input = parseWith(mergeSchema, await readOptionalJson(request));
  const result = await mergeTask(actor, params.id, input);
  if (result.status === "conflict") {
    return json(
      {
        error: {
          code: "conflict",
          message: `Merging into ${result.task.baseBranch} conflicts; nothing was changed.`,
          files: result.files,
        },
      },
      409,
    );
  }
  if (result.status === "verification_failed") {
    return json(
      {
        error: {
          code: "verification_failed",
          message: "The tests failed on the merged result; nothing was merged.",
          exitCode: result.exitCode,
          output: result.output,
        },
      },
      409,
    );
  }
  if (result.status === "queued") {
    return json({ queued: true, position: result.position, task: serializeTask(result.task) }, 202);
  }
  return { task: serializeTask(result.task) };
});
