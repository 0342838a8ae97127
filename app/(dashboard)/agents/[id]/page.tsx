import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentForm } from "@/components/agents/agent-form";
import { DeleteAgentButton } from "@/components/agents/delete-agent-button";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { PageHeader } from "@/components/ui/page-header";
import { TimeAgo } from "@/components/ui/time-ago";
import type { Agent } from "@/db/schema";
import { agentFormDefaults } from "@/lib/agents/form-defaults";
import { getAgent } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listModelPrices } from "@/lib/models/service";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
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
  const models = (await listModelPrices(actor)).map((p) => p.model);

  return (
    <div className="max-w-3xl">
      <Link
        href="/agents"
        className="mb-3 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
      >
        <ChevronLeft className="size-3.5" aria-hidden /> Agents
      </Link>
      <PageHeader
        title={agent.name}
        description={
          <>
            Updated <TimeAgo date={agent.updatedAt} />
            {canWrite ? null : " · Read only: only developers and admins can change agents."}
          </>
        }
        actions={canWrite ? <DeleteAgentButton id={agent.id} name={agent.name} /> : null}
      />
      <NoApiKeyNotice />
      <AgentForm agent={agentFormDefaults(agent)} models={models} readOnly={!canWrite} />
    </div>
  );
}
