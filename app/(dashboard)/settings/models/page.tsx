import { Cpu, Lock } from "lucide-react";
import type { Metadata } from "next";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { ModelPriceDialog } from "@/components/models/model-price-dialog";
import { ModelPriceTable } from "@/components/models/model-price-table";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listModelPrices } from "@/lib/models/service";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsSettingsPage() {
  const actor = await requireActor();
  const canManage = can(actor, "models:manage");
  const prices = (await listModelPrices(actor)).map((p) => ({
    model: p.model,
    inputPerMtok: p.inputPerMtok,
    outputPerMtok: p.outputPerMtok,
    cacheWritePerMtok: p.cacheWritePerMtok,
    cacheReadPerMtok: p.cacheReadPerMtok,
    contextWindow: p.contextWindow,
    longPromptAboveTokens: p.longPromptAboveTokens,
    longInputPerMtok: p.longInputPerMtok,
    longOutputPerMtok: p.longOutputPerMtok,
    longCacheWritePerMtok: p.longCacheWritePerMtok,
    longCacheReadPerMtok: p.longCacheReadPerMtok,
  }));

  return (
    <div className="grid gap-3">
      <NoApiKeyNotice />
      <Card>
        <CardHeader
          title="Models"
          description="The models agents may use and their list prices, in US dollars per million tokens. Run costs are computed from these; a model missing here shows as unpriced."
          actions={canManage ? <ModelPriceDialog /> : null}
        />
        {prices.length === 0 ? (
          <div className="p-4">
            <EmptyState
              icon={Cpu}
              title="No models in the catalogue"
              action={canManage ? <ModelPriceDialog /> : null}
            >
              {canManage
                ? "Add the models your agents should use, with their list prices, so every run's cost can be computed."
                : "Agents need a model from this catalogue. Ask an admin to add one."}
            </EmptyState>
          </div>
        ) : (
          <ModelPriceTable prices={prices} canManage={canManage} />
        )}
      </Card>
      {canManage ? null : (
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
          <Lock className="size-3.5" aria-hidden /> Only admins can edit prices.
        </p>
      )}
    </div>
  );
}
