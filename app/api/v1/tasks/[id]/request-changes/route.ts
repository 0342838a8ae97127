import { z } from "zod";
import { apiRoute, created, parseWith, readJson } from "@/lib/api/route";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import { apiCommentSchema } from "@/lib/reviews/schema";
import { requestChanges } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  runId: z.string().optional(),
  comments: z.array(apiCommentSchema).max(500).default([]),
  body: z.string().max(20_000).optional(),
});

/**
 * {comments: [{path, line, side?, body}], body?, runId?}: sends them (and any drafts of that branch) to the
 * agent as a follow-up run on the branch of `runId` (default: the one the review page shows).
 */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const input = parseWith(bodySchema, await readJson(request));
  const { task, run, comments } = await requestChanges(actor, params.id, input);
  return created({
    task: serializeTask(task),
    run: serializeRun(run),
    comments: comments.map((c) => ({
      id: c.id,
      path: c.path,
      side: c.side,
      line: c.lineStart,
      lineEnd: c.lineEnd,
      body: c.body,
    })),
  });
});
