import { Bot, ChevronLeft, Pencil, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentSummary } from "@/components/agents/agent-summary";
import { historyPeriod } from "@/components/agents/history-period";
import { HistorySection } from "@/components/agents/history-section";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import type { Agent } from "@/db/schema";
import { getAgent } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { entityHistory } from "@/lib/metrics/history";

export const metadata: Metadata = { title: "Agent" };

/** An agent's page leads with its history; its settings are one click away, behind Edit. */
export default async function AgentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const actor = await requireActor();
  let agent: Agent;
  try {
    agent = await getAgent(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const history = await entityHistory(actor, "agent", agent.id, historyPeriod(query));
  const canWrite = can(actor, "agents:write");
  const canAssign = can(actor, "tasks:assign");

  return (
    <div className="grid max-w-6xl gap-2">
      <div>
        <Link
          href="/agents"
          className="mb-3 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
        >
          <ChevronLeft className="size-3.5" aria-hidden /> Agents
        </Link>
        <PageHeader
          title={agent.name}
          description={<AgentSummary agent={agent} />}
          actions={
            <>
              {canAssign ? (
                <Button asChild variant="secondary">
                  <Link href={`/tasks/new?agent=${agent.id}`}>
                    <Plus aria-hidden /> New task
                  </Link>
                </Button>
              ) : null}
              {canWrite ? (
                <Button asChild variant="secondary">
                  <Link href={`/agents/${agent.id}/edit`}>
                    <Pencil aria-hidden /> Edit
                  </Link>
                </Button>
              ) : null}
            </>
          }
        />
        <NoApiKeyNotice />
      </div>
      <HistorySection
        history={history}
        basePath={`/agents/${agent.id}`}
        other="repo"
        neverRan={
          <EmptyState
            icon={Bot}
            title={`${agent.name} hasn't run yet`}
            action={
              canAssign ? (
                <Button asChild>
                  <Link href={`/tasks/new?agent=${agent.id}`}>
                    <Plus aria-hidden /> Assign it a task
                  </Link>
                </Button>
              ) : null
            }
          >
            Its runs, success rate, spend and durations appear here once it works on a task.{" "}
            {canAssign
              ? "Describe the change and pick a repository: the agent works on its own branch and the repository's tests check the result."
              : "A developer or an admin assigns tasks to agents."}
          </EmptyState>
        }
      />
    </div>
  );
}
