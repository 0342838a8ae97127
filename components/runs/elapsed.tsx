"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "./format";

/** Time since the run started; ticks once a second while it runs (a clock, not a data poll). */
export function Elapsed({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!startedAt || finishedAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt, finishedAt]);
  if (!startedAt) return <span className="text-muted-foreground">not started</span>;
  const end = finishedAt ? new Date(finishedAt).getTime() : now;
  return (
    <span className="tabular" suppressHydrationWarning>
      {formatDuration(Math.max(0, end - new Date(startedAt).getTime()))}
    </span>
  );
}
