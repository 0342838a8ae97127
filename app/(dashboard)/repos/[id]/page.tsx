import { Pencil, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { historyPeriod } from "@/components/agents/history-period";
import { HistorySection } from "@/components/agents/history-section";
import { MergeQueuePanel } from "@/components/merge-queue/queue-panel";
import { RepoDetails } from "@/components/repos/repo-details";
import { RepoHistoryEmpty } from "@/components/repos/repo-history-empty";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { TimeAgo } from "@/components/ui/time-ago";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { entityHistory } from "@/lib/metrics/history";
import { getRepo } from "@/lib/repos/service";

export const metadata: Metadata = { title: "Repository" };

/**
 * A repository's page, top to bottom: its history (numbers and recent runs for a period), the merge
 * queue's place, and its settings read-only (changed behind Edit). Each part is its own component.
 */
export default async function RepoPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const actor = await requireActor();
  const repo = await getRepo(actor, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const history = await entityHistory(actor, "repo", repo.id, historyPeriod(query));
  const canWrite = can(actor, "repos:write");
  const canAssign = can(actor, "tasks:assign");

  return (
    <div className="grid max-w-6xl gap-4">
      <div>
        <div className="mb-2 text-sm text-muted-foreground">
          <Link href="/repos" className="hover:text-foreground hover:underline">
            Repositories
          </Link>{" "}
          / <span className="text-foreground">{repo.name}</span>
        </div>
        <PageHeader
          title={repo.name}
          description={
            <>
              <span className="font-mono text-xs text-foreground">{repo.defaultBranch}</span> · registered{" "}
              <TimeAgo date={repo.createdAt} />
            </>
          }
          actions={
            <>
              {canAssign ? (
                <Button asChild variant="secondary">
                  <Link href={`/tasks/new?repo=${repo.id}`}>
                    <Plus aria-hidden /> New task
                  </Link>
                </Button>
              ) : null}
              {canWrite ? (
                <Button asChild variant="secondary">
                  <Link href={`/repos/${repo.id}/edit`}>
                    <Pencil aria-hidden /> Edit
                  </Link>
                </Button>
              ) : null}
            </>
          }
        />
      </div>
      <HistorySection
        history={history}
        basePath={`/repos/${repo.id}`}
        other="agent"
        neverRan={<RepoHistoryEmpty repo={repo} canAssign={canAssign} />}
      />
      <MergeQueuePanel repoId={repo.id} />
      <Card className="max-w-3xl">
        <CardHeader
          title="Settings"
          description={
            canWrite
              ? "Edit to change them; a changed source or default branch is checked with git before it is saved."
              : "Read only: ask a developer or an admin to change these settings."
          }
        />
        <div className="p-5">
          <RepoDetails repo={repo} />
        </div>
      </Card>
    </div>
  );
}
