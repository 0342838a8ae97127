import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentForm } from "@/components/agents/agent-form";
import { DeleteAgentButton } from "@/components/agents/delete-agent-button";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { NoPermission } from "@/components/agents/no-permission";
import { PageHeader } from "@/components/ui/page-header";
import { TimeAgo } from "@/components/ui/time-ago";
import type { Agent } from "@/db/schema";
import { agentFormDefaults } from "@/lib/agents/form-defaults";
import { getAgent } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listModelPrices } from "@/lib/models/service";

export const metadata: Metadata = { title: "Edit agent" };

/** An agent's settings: developers and admins change them here; the agent's page shows its history. */
export default async function EditAgentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  let agent: Agent;
  try {
    agent = await getAgent(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const canWrite = can(actor, "agents:write");
  if (!canWrite) {
    return (
      <div className="max-w-3xl">
        <NoPermission what="change agents" />
      </div>
    );
  }
  const models = (await listModelPrices(actor)).map((p) => p.model);

  return (
    <div className="max-w-3xl">
      <Link
        href={`/agents/${agent.id}`}
        className="mb-3 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
      >
        <ChevronLeft className="size-3.5" aria-hidden /> {agent.name}
      </Link>
      <PageHeader
        title={`Edit ${agent.name}`}
        description={
          <>
            Updated <TimeAgo date={agent.updatedAt} />
          </>
        }
        actions={<DeleteAgentButton id={agent.id} name={agent.name} />}
      />
      <NoApiKeyNotice />
      <AgentForm agent={agentFormDefaults(agent)} models={models} readOnly={false} />
    </div>
  );
}
