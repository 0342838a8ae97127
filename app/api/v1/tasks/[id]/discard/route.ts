import { apiRoute } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { discardTask } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

/** Closes the task without merging and deletes its branch (keptBranches: those the source refused to delete). */
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const { task, keptBranches } = await discardTask(actor, params.id);
  return { task: serializeTask(task), keptBranches };
});
