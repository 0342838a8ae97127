import { FolderGit2, Plus } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** A repository no agent has worked in yet: what its page will show, and the first step. */
export function RepoHistoryEmpty({
  repo,
  canAssign,
}: {
  repo: { id: string; name: string };
  canAssign: boolean;
}) {
  return (
    <EmptyState
      icon={FolderGit2}
      title={`No agent has worked in ${repo.name} yet`}
      action={
        canAssign ? (
          <Button asChild>
            <Link href={`/tasks/new?repo=${repo.id}`}>
              <Plus aria-hidden /> Assign a task here
            </Link>
          </Button>
        ) : null
      }
    >
      Its runs, success rate, spend and durations appear here once a task runs in it.{" "}
      {canAssign
        ? "Each task gets its own branch; the test command below verifies the agent's changes before you review them."
        : "A developer or an admin assigns tasks to agents."}
    </EmptyState>
  );
}
