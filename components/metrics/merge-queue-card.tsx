import { Card, CardHeader } from "@/components/ui/card";
import { formatDuration } from "@/lib/metrics/format";
import type { Metrics } from "@/lib/metrics/service";
import { Defined } from "./definition";

/** The merge queue: how many merges wait now, and how long merges of the period waited to land. */
export function MergeQueueCard({ metrics }: { metrics: Metrics }) {
  const q = metrics.mergeQueue;
  return (
    <Card data-testid="merge-queue-metrics">
      <CardHeader
        title="Merge queue"
        description={`${q.landed} merge${q.landed === 1 ? "" : "s"} landed or tried in the period`}
      />
      <dl className="grid grid-cols-2 gap-3 px-4 pb-4 text-sm">
        <div>
          <dt className="text-xs text-muted-foreground">
            <Defined name="mergeQueueLength">Waiting now</Defined>
          </dt>
          <dd className="tabular text-lg font-semibold">{q.length}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">
            <Defined name="mergeQueueWait">Wait (p50 / p90)</Defined>
          </dt>
          <dd className="tabular text-lg font-semibold">
            {formatDuration(q.p50WaitMs)} / {formatDuration(q.p90WaitMs)}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
