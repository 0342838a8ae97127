import { formatUsd } from "@/lib/format";
import { cn } from "@/lib/utils";

/** The run's cost so far against its budget, as a bar that warms up as it nears the limit. */
export function CostMeter({
  costUsd,
  maxCostUsd,
  unpriced,
}: {
  costUsd: number;
  maxCostUsd: number;
  unpriced: boolean;
}) {
  const ratio = maxCostUsd > 0 ? Math.min(1, costUsd / maxCostUsd) : 0;
  const spent = unpriced ? `${formatUsd(costUsd)} + unpriced` : formatUsd(costUsd);
  return (
    <div className="grid gap-1" data-testid="cost-meter">
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span
          className="tabular"
          title={unpriced ? "A model call had no catalogue price: the cost leaves it out." : undefined}
        >
          {spent}
        </span>
        <span className="tabular text-xs text-muted-foreground">of {formatUsd(maxCostUsd)}</span>
      </div>
      <div
        role="progressbar"
        aria-label="Cost against the budget"
        aria-valuemin={0}
        aria-valuemax={maxCostUsd}
        aria-valuenow={Math.min(costUsd, maxCostUsd)}
        aria-valuetext={`${spent} of ${formatUsd(maxCostUsd)}`}
        className="h-1.5 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn(
            "h-full rounded-full transition-[width] duration-500",
            ratio >= 1 ? "bg-danger" : ratio >= 0.8 ? "bg-amber-500" : "bg-accent",
          )}
          style={{ width: `${Math.max(ratio * 100, costUsd > 0 ? 1.5 : 0)}%` }}
        />
      </div>
    </div>
  );
}
