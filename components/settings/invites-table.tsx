import { X } from "lucide-react";
import { revokeInviteAction } from "@/app/(dashboard)/settings/members/actions";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { PendingInvite } from "@/lib/members/service";

export function InvitesTable({ invites }: { invites: PendingInvite[] }) {
  return (
    <Table aria-label="Pending invites">
      <thead>
        <tr>
          <Th>Role</Th>
          <Th>Created by</Th>
          <Th>Created</Th>
          <Th>Expires</Th>
          <Th className="w-0">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {invites.map((invite) => (
          <tr key={invite.id} data-testid="invite-row">
            <Td>
              <Badge>{ROLE_LABELS[invite.role]}</Badge>
            </Td>
            <Td className="text-muted-foreground">{invite.createdByName ?? "—"}</Td>
            <Td className="whitespace-nowrap text-muted-foreground">
              <TimeAgo date={invite.createdAt} />
            </Td>
            <Td className="whitespace-nowrap text-muted-foreground">
              <TimeAgo date={invite.expiresAt} />
            </Td>
            <Td className="text-right">
              <ConfirmDialog
                action={revokeInviteAction}
                fields={{ id: invite.id }}
                trigger={
                  <>
                    <X aria-hidden /> Revoke
                  </>
                }
                triggerLabel={`Revoke the ${ROLE_LABELS[invite.role].toLowerCase()} invite`}
                title="Revoke this invite?"
                description="The link stops working at once. Anyone who already joined with it stays a member."
                confirm="Revoke"
                pendingText="Revoking…"
              />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
