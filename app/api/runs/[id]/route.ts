import { sessionRoute } from "@/lib/api/session-route";
import { getRun } from "@/lib/runs/service";
import { runView } from "@/lib/runs/views";

export const dynamic = "force-dynamic";

/** One run's header numbers for the run page's query cache: refetched when its events say they moved. */
export const GET = sessionRoute<{ id: string }>(async ({ actor, params }) => ({
  run: runView(await getRun(actor, params.id)),
}));
