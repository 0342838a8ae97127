import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { InboxList } from "@/components/inbox/inbox-list";
import { inboxQueryOptions } from "@/components/inbox/inbox-query";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listInbox } from "@/lib/inbox/queries";
import { makeQueryClient } from "@/lib/query/client";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const actor = await requireActor();
  const queryClient = makeQueryClient();
  queryClient.setQueryData(inboxQueryOptions().queryKey, await listInbox(actor));
  return (
    <>
      <PageHeader title="Inbox" description="Everything waiting on you, oldest first. Updates live." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InboxList canAssign={can(actor, "tasks:assign")} />
      </HydrationBoundary>
    </>
  );
}
