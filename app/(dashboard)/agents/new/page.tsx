import { Cpu } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentForm } from "@/components/agents/agent-form";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { NoPermission } from "@/components/agents/no-permission";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { newAgentDefaults } from "@/lib/agents/form-defaults";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { suggestModel } from "@/lib/models/lifecycle";
import { listModelPrices } from "@/lib/models/service";

export const metadata: Metadata = { title: "New agent" };

export default async function NewAgentPage() {
  const actor = await requireActor();
  const header = (
    <PageHeader
      title="New agent"
      description="Choose a model, tell it how to work, and set the limits that stop a run."
    />
  );
  if (!can(actor, "agents:write")) {
    return (
      <>
        {header}
        <NoPermission what="create agents" />
      </>
    );
  }
  const models = (await listModelPrices(actor)).map((p) => p.model);
  if (models.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          icon={Cpu}
          title="The model catalogue is empty"
          action={
            <Button asChild variant="secondary">
              <Link href="/settings/models">Open model settings</Link>
            </Button>
          }
        >
          An agent needs a model from the team's catalogue. Ask an admin to add one under Settings → Models.
        </EmptyState>
      </>
    );
  }
  return (
    <div className="max-w-3xl">
      {header}
      <NoApiKeyNotice />
      <AgentForm agent={newAgentDefaults(suggestModel(models))} models={models} />
    </div>
  );
}
