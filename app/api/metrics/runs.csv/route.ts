import { errorResponse } from "@/lib/api/route";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { runsToCsv } from "@/lib/metrics/csv";
import { isoDay, rangeFromSearchParams } from "@/lib/metrics/range";
import { listMetricRuns, runsFilterFromParams } from "@/lib/metrics/runs-list";

export const dynamic = "force-dynamic";

/** Every run of the period (or of the scope, group and day given) with every metric, as CSV, for the session's team. */
export async function GET(request: Request) {
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Sign in to export metrics.");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const range = rangeFromSearchParams(params);
    const rows = await listMetricRuns(actor, range, runsFilterFromParams(params));
    const last = isoDay(new Date(range.to.getTime() - 86_400_000));
    return new Response(runsToCsv(rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="foreman-runs-${isoDay(range.from)}-to-${last}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    // Bad filters (a ZodError) or a broken escape are a JSON 400 like the API's, not a 500.
    return errorResponse(error);
  }
}
