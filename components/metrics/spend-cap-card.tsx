import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { formatUsd } from "@/lib/format";
import { DEFINITIONS } from "@/lib/metrics/definitions";
import { spendCapStatus } from "@/lib/metrics/spend-cap";
import { SpendCapForm } from "./spend-cap-form";

/** Settings → General's section for the monthly spend cap (the metrics page shows the same, with its meter). */
export async function SpendCapCard({ canManage, teamId }: { canManage: boolean; teamId: string }) {
  const status = await spendCapStatus(teamId);
  return (
    <Card>
      <CardHeader title="Monthly spend cap" description={DEFINITIONS.spendCap} />
      <div className="grid gap-3 px-4 py-4 text-sm">
        <p className="tabular-nums" data-testid="spend-cap-setting">
          {formatUsd(status.spentUsd)} spent this month ·{" "}
          {status.capUsd === null ? "no cap" : `cap ${formatUsd(status.capUsd)}`} ·{" "}
          <Link href="/metrics" className="text-accent hover:underline">
            Metrics
          </Link>
        </p>
        {canManage ? <SpendCapForm capUsd={status.capUsd} /> : null}
      </div>
    </Card>
  );
}
