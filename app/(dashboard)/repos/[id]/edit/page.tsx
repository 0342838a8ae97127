import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteRepoButton } from "@/components/repos/delete-repo-button";
import { RepoDetails } from "@/components/repos/repo-details";
import { RepoForm } from "@/components/repos/repo-form";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { TimeAgo } from "@/components/ui/time-ago";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getRepo } from "@/lib/repos/service";
import { configuredRepoRoots } from "@/lib/repos/source-policy";

export const metadata: Metadata = { title: "Edit repository" };

/** A repository's settings form (developers and admins); its page shows its history and settings read-only. */
export default async function EditRepoPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const repo = await getRepo(actor, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const canWrite = can(actor, "repos:write");

  return (
    <>
      <div className="mb-2 text-sm text-muted-foreground">
        <Link href="/repos" className="hover:text-foreground hover:underline">
          Repositories
        </Link>{" "}
        /{" "}
        <Link href={`/repos/${repo.id}`} className="hover:text-foreground hover:underline">
          {repo.name}
        </Link>{" "}
        / <span className="text-foreground">Edit</span>
      </div>
      <PageHeader
        title={`Edit ${repo.name}`}
        description={
          <>
            Registered <TimeAgo date={repo.createdAt} />
            {repo.updatedAt.getTime() - repo.createdAt.getTime() > 1000 ? (
              <>
                , last changed <TimeAgo date={repo.updatedAt} />
              </>
            ) : null}
            .
          </>
        }
        actions={canWrite ? <DeleteRepoButton id={repo.id} name={repo.name} /> : null}
      />
      <Card className="max-w-2xl">
        <CardHeader
          title="Settings"
          description={
            canWrite
              ? "A changed source or default branch is checked with git again before it is saved."
              : "You have read-only access: ask a developer or an admin to change these settings."
          }
        />
        <div className="p-5">
          {canWrite ? (
            <RepoForm
              repo={{
                id: repo.id,
                name: repo.name,
                source: repo.source,
                defaultBranch: repo.defaultBranch,
                setupCommand: repo.setupCommand,
                testCommand: repo.testCommand,
                mergeStrategy: repo.mergeStrategy,
                network: repo.network,
                allowedHosts: repo.allowedHosts,
              }}
              sourceRoots={configuredRepoRoots()}
              canSetNetwork={can(actor, "repos:network")}
            />
          ) : (
            <RepoDetails repo={repo} />
          )}
        </div>
      </Card>
    </>
  );
}
