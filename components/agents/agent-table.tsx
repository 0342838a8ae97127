import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { Agent } from "@/db/schema";
import { formatBudgets, plural } from "@/lib/agents/format";
import { retirementNotice } from "@/lib/models/lifecycle";
import { cn } from "@/lib/utils";

/** The team's agents, one dense row each; the name opens the profile. */
export function AgentTable({
  agents,
  highlight,
  now = new Date(),
}: {
  agents: Agent[];
  highlight?: string;
  now?: Date;
}) {
  return (
    <div className="rounded-lg border bg-surface shadow-xs">
      <Table>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Model</Th>
            <Th>Budgets</Th>
            <Th>Guardrails</Th>
            <Th className="text-right">Updated</Th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr
              key={agent.id}
              className={cn(
                "hover:bg-muted/50 [&:last-child>td]:border-b-0",
                agent.id === highlight && "bg-accent/5",
              )}
            >
              <Td className="max-w-72">
                <Link href={`/agents/${agent.id}`} className="font-medium hover:underline">
                  {agent.name}
                </Link>
                {agent.id === highlight ? (
                  <Badge tone="accent" className="ml-2">
                    New
                  </Badge>
                ) : null}
                {agent.systemPrompt ? (
                  <p className="truncate text-xs text-muted-foreground" title={agent.systemPrompt}>
                    {agent.systemPrompt.split("\n")[0]}
                  </p>
                ) : null}
              </Td>
              <Td>
                <span className="font-mono text-xs">{agent.model}</span>
                {agent.thinkingBudget ? (
                  <span className="ml-2 text-xs text-muted-foreground tabular">
                    thinking {agent.thinkingBudget.toLocaleString("en-US")}
                  </span>
                ) : null}
                <RetirementWarning model={agent.model} now={now} />
              </Td>
              <Td className="whitespace-nowrap tabular">{formatBudgets(agent)}</Td>
              <Td className="whitespace-nowrap text-muted-foreground tabular">
                {plural(agent.rules.length, "rule")} · {plural(agent.riskyPatterns.length, "risky pattern")}
              </Td>
              <Td className="whitespace-nowrap text-right text-xs text-muted-foreground">
                <TimeAgo date={agent.updatedAt} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

/** A calm line under a model that Anthropic retires: the agent keeps working until the date. */
function RetirementWarning({ model, now }: { model: string; now: Date }) {
  const notice = retirementNotice(model, now);
  if (!notice) return null;
  return (
    <p className="mt-0.5 flex items-start gap-1 text-xs text-warning" data-testid="model-retirement">
      <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
      {notice}
    </p>
  );
}
