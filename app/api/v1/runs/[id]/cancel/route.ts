import { apiRoute } from "@/lib/api/route";
import { serializeRun } from "@/lib/api/serialize";
import { cancelRun, getRun } from "@/lib/runs/service";

export const dynamic = "force-dynamic";

/** A queued run ends at once; a running one stops at its next step (the response shows it requested). */
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const run = await cancelRun(actor, params.id);
  return { run: serializeRun(await getRun(actor, run.id)) };
});
