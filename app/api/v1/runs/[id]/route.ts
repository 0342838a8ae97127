import { apiRoute } from "@/lib/api/route";
import { serializeRun } from "@/lib/api/serialize";
import { getRun } from "@/lib/runs/service";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => ({
  run: serializeRun(await getRun(actor, params.id)),
}));
