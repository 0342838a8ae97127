import { ArrowLeft, Lock, PackageOpen } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { NoApiKeyNotice } from "@/components/agents/no-api-key-notice";
import { NewTaskForm } from "@/components/tasks/new-task-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { agentUnavailableReason } from "@/lib/agents/model-availability";
import { listAgents } from "@/lib/agents/service";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { DEMO_TASK_PROMPT } from "@/lib/demo/script";
import { listMembers } from "@/lib/members/service";
import { listRepoBranches } from "@/lib/repos/branches";
import { listRepos } from "@/lib/repos/service";
import { listDependencyCandidates } from "@/lib/tasks/dependency-queries";

export const metadata: Metadata = { title: "New task" };

const backToBoard = (
  <Button asChild variant="secondary">
    <Link href="/board">
      <ArrowLeft aria-hidden /> Back to the board
    </Link>
  </Button>
);

export default async function NewTaskPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  if (!can(actor, "tasks:assign")) {
    return (
      <>
        <PageHeader title="New task" />
        <EmptyState icon={Lock} title="You don't have permission" action={backToBoard}>
          Your role is {ROLE_LABELS[actor.role].toLowerCase()}, which can watch runs but not assign tasks. Ask
          an admin of your team to make you a developer.
        </EmptyState>
      </>
    );
  }
  const params = await searchParams;
  const one = (key: string) => {
    const value = params[key];
    return typeof value === "string" && value ? value : undefined;
  };
  const [repos, agents, members, openTasks] = await Promise.all([
    listRepos(actor),
    listAgents(actor),
    listMembers(actor),
    listDependencyCandidates(actor),
  ]);

  if (repos.length === 0 || agents.length === 0) {
    return (
      <>
        <PageHeader title="New task" />
        <EmptyState
          icon={PackageOpen}
          title={
            repos.length === 0 && agents.length === 0
              ? "No repositories or agents yet"
              : repos.length === 0
                ? "No repositories yet"
                : "No agents yet"
          }
          action={
            <div className="flex gap-2">
              {repos.length === 0 ? (
                <Button asChild>
                  <Link href="/repos/new">Register a repository</Link>
                </Button>
              ) : null}
              {agents.length === 0 ? (
                <Button asChild>
                  <Link href="/agents/new">Create an agent</Link>
                </Button>
              ) : null}
            </div>
          }
        >
          A task needs a repository for the agent to work in and an agent profile to do the work.
          {can(actor, "settings:manage") ? " Or load the demo workspace from the board." : null}
        </EmptyState>
      </>
    );
  }

  const demo = one("demo") === "1";
  const repoId = one("repo");
  const agentId = one("agent");
  const firstRepo = repos.find((r) => r.id === repoId) ?? repos[0];
  // The first repository's branches come with the page when git answers quickly (a local clone); a slow
  // remote is read by the form itself, so the page never waits on the network.
  const initialBranches = firstRepo
    ? await Promise.race([
        listRepoBranches(actor, firstRepo.id).then(
          (branches) => ({ repoId: firstRepo.id, branches }),
          () => undefined,
        ),
        new Promise<undefined>((resolve) => setTimeout(resolve, 2_000)),
      ])
    : undefined;
  return (
    <>
      <PageHeader
        title="New task"
        description="The agent works on its own branch; the repository's test command verifies the result."
      />
      <NoApiKeyNotice />
      <Card className="max-w-3xl p-5">
        <NewTaskForm
          repos={repos.map((r) => ({ id: r.id, name: r.name, defaultBranch: r.defaultBranch }))}
          agents={agents.map((a) => ({
            id: a.id,
            name: a.name,
            model: a.model,
            maxSteps: a.maxSteps,
            maxCostUsd: a.maxCostUsd,
            maxDurationSec: a.maxDurationSec,
            unavailable: agentUnavailableReason(a) ?? undefined,
          }))}
          reviewers={members
            .filter((m) => m.role !== "viewer")
            .map((m) => ({ id: m.userId, name: m.name || m.email }))}
          initialBranches={initialBranches}
          dependencyOptions={openTasks}
          initial={{
            repoId: repos.some((r) => r.id === repoId) ? repoId : undefined,
            agentId: agents.some((a) => a.id === agentId) ? agentId : undefined,
            title: demo ? DEMO_TASK_PROMPT : undefined,
            prompt: demo ? DEMO_TASK_PROMPT : undefined,
          }}
        />
      </Card>
    </>
  );
}
