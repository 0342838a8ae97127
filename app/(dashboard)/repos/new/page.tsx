import { ArrowLeft, Lock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RepoForm } from "@/components/repos/repo-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { configuredRepoRoots } from "@/lib/repos/source-policy";

export const metadata: Metadata = { title: "Register a repository" };

export default async function NewRepoPage() {
  const actor = await requireActor();
  if (!can(actor, "repos:write")) {
    return (
      <>
        <PageHeader title="Register a repository" />
        <EmptyState
          icon={Lock}
          title="You don't have permission to register repositories"
          action={
            <Button asChild variant="secondary">
              <Link href="/repos">
                <ArrowLeft aria-hidden /> Back to repositories
              </Link>
            </Button>
          }
        >
          Your role is {ROLE_LABELS[actor.role].toLowerCase()}, which is read only. Ask an admin of your team
          to make you a developer, or to register it for you.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Register a repository"
        description="Foreman checks with git that it can read the repository and that the branch exists."
      />
      <Card className="max-w-2xl p-5">
        <RepoForm sourceRoots={configuredRepoRoots()} canSetNetwork={can(actor, "repos:network")} />
      </Card>
    </>
  );
}
