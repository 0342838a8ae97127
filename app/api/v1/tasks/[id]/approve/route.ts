import { apiRoute } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { approveTask } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

/** Approves the task in review (refused for one's own task when the team requires independent approval). */
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const task = await approveTask(actor, params.id);
  return { task: serializeTask(task) };
});
