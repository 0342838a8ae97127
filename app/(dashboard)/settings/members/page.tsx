import { Mail } from "lucide-react";
import type { Metadata } from "next";
import { InviteDialog } from "@/components/settings/invite-dialog";
import { InvitesTable } from "@/components/settings/invites-table";
import { MembersTable } from "@/components/settings/members-table";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listInvites, listMembers } from "@/lib/members/service";

export const metadata: Metadata = { title: "Members" };

export default async function MembersSettingsPage() {
  const actor = await requireActor();
  // Everyone sees who is in the team; only admins get the controls and the invites (checked here, on the
  // server: a non-admin's page carries no invite data, and every action checks the role again).
  if (!can(actor, "members:manage")) {
    const members = await listMembers(actor);
    return (
      <Card>
        <CardHeader
          title="Members"
          description={`${members.length} ${members.length === 1 ? "person" : "people"}. Admins invite people and change roles: ask one if you need a change.`}
        />
        <MembersTable members={members} currentUserId={actor.userId} canManage={false} />
      </Card>
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
        <MembersTable members={members} currentUserId={actor.userId} canManage />
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
