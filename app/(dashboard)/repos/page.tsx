import { FolderGit2, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listRepos } from "@/lib/repos/service";

export const metadata: Metadata = { title: "Repositories" };

export default async function ReposPage() {
  const actor = await requireActor();
  const repos = await listRepos(actor);
  const canWrite = can(actor, "repos:write");
  const registerButton = canWrite ? (
    <Button asChild>
      <Link href="/repos/new">
        <Plus aria-hidden /> Register a repository
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Repositories"
        description="The git repositories agents work in. Foreman works in its own clone; your working tree is never touched."
        actions={repos.length > 0 ? registerButton : null}
      />
      {repos.length === 0 ? (
        <EmptyState icon={FolderGit2} title="No repositories yet" action={registerButton}>
          {canWrite
            ? "Register a repository by its path on the server or its clone URL. Tasks need one: agents branch off its default branch, run its test command and merge back."
            : "Once a developer or an admin registers a repository, it appears here and tasks can be assigned in it."}
        </EmptyState>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Source</Th>
                <Th>Default branch</Th>
                <Th>Test command</Th>
                <Th className="text-right">Created</Th>
              </tr>
            </thead>
            <tbody>
              {repos.map((repo) => (
                <tr key={repo.id} className="hover:bg-muted/50">
                  <Td className="font-medium">
                    <Link href={`/repos/${repo.id}`} className="hover:underline">
                      {repo.name}
                    </Link>
                    {repo.mergeStrategy === "squash" ? (
                      <Badge className="ml-2" title="Approved tasks are squashed into one commit">
                        squash
                      </Badge>
                    ) : null}
                  </Td>
                  <Td className="max-w-80 truncate font-mono text-xs" title={repo.source}>
                    {repo.source}
                  </Td>
                  <Td className="font-mono text-xs">{repo.defaultBranch}</Td>
                  <Td className="max-w-60 truncate font-mono text-xs" title={repo.testCommand ?? undefined}>
                    {repo.testCommand ?? <span className="font-sans text-muted-foreground">None</span>}
                  </Td>
                  <Td className="text-right text-muted-foreground">
                    <TimeAgo date={repo.createdAt} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
