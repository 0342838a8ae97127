"use client";

import { useEffect, useState } from "react";
import { formatUsd } from "@/lib/format";
import { cn } from "@/lib/utils";

export interface SpendStatus {
  capUsd: number | null;
  spentUsd: number;
  reached: boolean;
}

/** Month-to-date spend against the cap, kept current by the server's spend stream (no polling). */
export function SpendMeter({ initial }: { initial: SpendStatus }) {
  const [status, setStatus] = useState(initial);
  useEffect(() => setStatus(initial), [initial]);
  useEffect(() => {
    const source = new EventSource("/api/metrics/spend");
    source.addEventListener("spend", (event) => {
      setStatus(JSON.parse((event as MessageEvent<string>).data) as SpendStatus);
    });
    return () => source.close();
  }, []);
  const share = status.capUsd ? Math.min(1, status.spentUsd / status.capUsd) : 0;
  return (
    <div className="grid gap-1.5" data-testid="spend-meter">
      <div className="flex items-baseline justify-between gap-3 text-sm tabular-nums">
        <span>
          <span className="font-semibold" data-testid="spend-mtd">
            {formatUsd(status.spentUsd)}
          </span>{" "}
          <span className="text-muted-foreground">
            {status.capUsd === null ? "this month · no cap" : `of ${formatUsd(status.capUsd)} this month`}
          </span>
        </span>
        {status.capUsd !== null ? (
          <span
            className={cn("text-xs", status.reached ? "font-medium text-danger" : "text-muted-foreground")}
          >
            {status.reached ? "Cap reached: new runs are refused" : `${Math.round(share * 100)}% used`}
          </span>
        ) : null}
      </div>
      {status.capUsd !== null ? (
        // biome-ignore lint/a11y/useSemanticElements: a styled bar with the meter role; <meter> can't be styled consistently across browsers
        <div
          className="h-2 overflow-hidden rounded-full bg-muted"
          role="meter"
          aria-label="Month-to-date spend against the cap"
          aria-valuemin={0}
          aria-valuemax={status.capUsd}
          aria-valuenow={status.spentUsd}
          aria-valuetext={`${formatUsd(status.spentUsd)} of ${formatUsd(status.capUsd)}`}
        >
          <div
            className={cn(
              "h-full rounded-full",
              share >= 1 ? "bg-danger" : share >= 0.8 ? "bg-warning" : "bg-accent",
            )}
            style={{ width: `${share * 100}%` }}
          />
        </div>
      ) : null}
    </div>
  );
}
