import { KanbanSquare } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Board" };

export default async function BoardPage() {
  await requireActor();
  return (
    <>
      <PageHeader title="Board" description="Every task your agents are working on, by status." />
      <EmptyState
        icon={KanbanSquare}
        title="No tasks yet"
        action={
          <div className="flex gap-2">
            <Button asChild variant="secondary">
              <Link href="/repos/new">Add a repository</Link>
            </Button>
            <Button asChild>
              <Link href="/agents/new">Create an agent</Link>
            </Button>
          </div>
        }
      >
        Tasks appear here once you assign them. Start by registering a repository for agents to work in and an
        agent profile to do the work.
      </EmptyState>
    </>
  );
}
