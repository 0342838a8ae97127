import { Bot, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentTable } from "@/components/agents/agent-table";
import { FlashToast } from "@/components/agents/flash-toast";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listAgents } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({
  searchParams,
}: {
  searchParams: Promise<{ created?: string; deleted?: string }>;
}) {
  const actor = await requireActor();
  const [agents, params] = await Promise.all([listAgents(actor), searchParams]);
  const canWrite = can(actor, "agents:write");
  const createButton = canWrite ? (
    <Button asChild>
      <Link href="/agents/new">
        <Plus aria-hidden /> Create an agent
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Agents"
        description="Profiles that do the work: a model, a system prompt, budgets and guardrails."
        actions={agents.length > 0 ? createButton : null}
      />
      <NoApiKeyNotice />
      {params.created ? <FlashToast message="Agent created." /> : null}
      {params.deleted ? <FlashToast message="Agent deleted." /> : null}
      {agents.length === 0 ? (
        <EmptyState icon={Bot} title="No agents yet" action={createButton}>
          {canWrite
            ? "An agent profile says which model works on a task, what it is told, how far it may go and which commands need a person's approval. Create one, then assign it a task from the board."
            : "An agent profile says which model works on a task and how far it may go. Ask a developer or admin to create one."}
        </EmptyState>
      ) : (
        <AgentTable agents={agents} highlight={params.created} />
      )}
    </>
  );
}
