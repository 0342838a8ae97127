import { apiRoute, searchParam } from "@/lib/api/route";
import type { GroupBy, Preset } from "@/lib/metrics/range";
import { serializeMetrics } from "@/lib/metrics/serialize";
import { getMetrics } from "@/lib/metrics/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=agent|model|repo|person (or ?range=7d|30d|90d):
 * the metrics page's numbers for the token's team. Bad parameters are a 400 naming the field.
 */
export const GET = apiRoute(async ({ actor, request }) => {
  const metrics = await getMetrics(actor, {
    range: (searchParam(request, "range") ?? undefined) as Preset | undefined,
    from: searchParam(request, "from") ?? undefined,
    to: searchParam(request, "to") ?? undefined,
    groupBy: (searchParam(request, "groupBy") ?? undefined) as GroupBy | undefined,
  });
  return serializeMetrics(metrics);
});
