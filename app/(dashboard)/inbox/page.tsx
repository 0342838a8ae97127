import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  await requireActor();
  return (
    <>
      <PageHeader title="Inbox" description="Everything waiting on you, oldest first." />
      <EmptyState icon={Inbox} title="Nothing needs you">
        Approvals for risky commands, reviews assigned to you and failed runs you started will show up here.
      </EmptyState>
    </>
  );
}
