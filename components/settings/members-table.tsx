import { UserMinus } from "lucide-react";
import { removeMemberAction } from "@/app/(dashboard)/settings/members/actions";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/permissions";
import type { MemberRow } from "@/lib/members/service";
import { MemberRoleSelect } from "./member-role-select";

/** The team's members; with `canManage` (admins), each row's role select and Remove button. */
export function MembersTable({
  members,
  currentUserId,
  canManage,
}: {
  members: MemberRow[];
  currentUserId: string;
  canManage: boolean;
}) {
  return (
    <Table aria-label="Members">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Role</Th>
          <Th>Joined</Th>
          {canManage ? (
            <Th className="w-0">
              <span className="sr-only">Actions</span>
            </Th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {members.map((member) => {
          const isMe = member.userId === currentUserId;
          return (
            <tr key={member.userId} data-testid="member-row">
              <Td>
                <div className="flex items-center gap-2 font-medium">
                  {member.name}
                  {isMe ? <Badge>You</Badge> : null}
                </div>
                <div className="text-xs text-muted-foreground">{member.email}</div>
              </Td>
              <Td>
                {canManage ? (
                  <MemberRoleSelect
                    key={member.role}
                    userId={member.userId}
                    name={member.name}
                    role={member.role}
                  />
                ) : (
                  <span title={ROLE_DESCRIPTIONS[member.role]}>{ROLE_LABELS[member.role]}</span>
                )}
              </Td>
              <Td className="whitespace-nowrap text-muted-foreground">
                <TimeAgo date={member.joinedAt} />
              </Td>
              {canManage ? (
                <Td className="text-right">
                  {isMe ? null : (
                    <ConfirmDialog
                      action={removeMemberAction}
                      fields={{ userId: member.userId }}
                      trigger={
                        <>
                          <UserMinus aria-hidden /> Remove
                        </>
                      }
                      triggerLabel={`Remove ${member.name}`}
                      title={`Remove ${member.name}?`}
                      description={`${member.email} loses access at once: their sessions end and their API tokens are revoked. Their past work keeps their name.`}
                      confirm="Remove"
                      pendingText="Removing…"
                    />
                  )}
                </Td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
