import { AppError } from "@/lib/errors";
import { type MetricsRange, rangeFromSearchParams } from "@/lib/metrics/range";

/** The history's period from the page's ?range= (7d, 30d, 90d); anything else is the default 30 days. */
export function historyPeriod(params: Record<string, string | string[] | undefined>): MetricsRange {
  const range = Array.isArray(params.range) ? params.range[0] : params.range;
  try {
    return rangeFromSearchParams({ range: range === "7d" || range === "90d" ? range : "30d" });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return rangeFromSearchParams({});
  }
}
