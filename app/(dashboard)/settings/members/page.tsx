import { Mail } from "lucide-react";
import type { Metadata } from "next";
import { InviteDialog } from "@/components/settings/invite-dialog";
import { InvitesTable } from "@/components/settings/invites-table";
import { MembersTable } from "@/components/settings/members-table";
import { NoAccess } from "@/components/settings/no-access";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listInvites, listMembers } from "@/lib/members/service";

export const metadata: Metadata = { title: "Members" };

export default async function MembersSettingsPage() {
  const actor = await requireActor();
  // Refused here, on the server: a non-admin's page carries no member data at all.
  if (!can(actor, "members:manage")) {
    return (
      <NoAccess>
        Member settings are for admins: they invite people, change roles and remove members. Ask an admin of
        your team if you need a change.
      </NoAccess>
    );
  }
  const [members, invites] = await Promise.all([listMembers(actor), listInvites(actor)]);
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader
          title="Members"
          description={`${members.length} ${members.length === 1 ? "person" : "people"}. A team always keeps at least one admin.`}
          actions={<InviteDialog />}
        />
        <MembersTable members={members} currentUserId={actor.userId} />
      </Card>
      <Card>
        <CardHeader title="Pending invites" description="Links nobody has used yet. Each works once." />
        {invites.length > 0 ? (
          <InvitesTable invites={invites} />
        ) : (
          <div className="p-4">
            <EmptyState icon={Mail} title="No pending invites">
              Use “Invite someone” to create a link for a new teammate; it shows up here until they join.
            </EmptyState>
          </div>
        )}
      </Card>
    </div>
  );
}
