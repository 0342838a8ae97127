import { X } from "lucide-react";
import { revokeTokenAction } from "@/app/(dashboard)/settings/tokens/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TokenRow } from "@/lib/tokens/service";

export function TokensTable({
  tokens,
  showOwner,
  currentUserId,
}: {
  tokens: TokenRow[];
  showOwner: boolean;
  currentUserId: string;
}) {
  return (
    <Table aria-label="API tokens">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Token</Th>
          {showOwner ? <Th>Owner</Th> : null}
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th className="w-0">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => {
          const mine = token.userId === currentUserId;
          return (
            <tr key={token.id} data-testid="token-row">
              <Td className="font-medium">{token.name}</Td>
              <Td className="font-mono text-xs text-muted-foreground">{token.prefix}…</Td>
              {showOwner ? (
                <Td className="text-muted-foreground" title={token.ownerEmail}>
                  {mine ? "You" : token.ownerName}
                </Td>
              ) : null}
              <Td className="whitespace-nowrap text-muted-foreground">
                <TimeAgo date={token.createdAt} />
              </Td>
              <Td className="whitespace-nowrap text-muted-foreground">
                {token.lastUsedAt ? <TimeAgo date={token.lastUsedAt} /> : "Never"}
              </Td>
              <Td className="text-right">
                <ConfirmDialog
                  action={revokeTokenAction}
                  fields={{ id: token.id }}
                  trigger={
                    <>
                      <X aria-hidden /> Revoke
                    </>
                  }
                  triggerLabel={`Revoke ${token.name}`}
                  title={`Revoke “${token.name}”?`}
                  description={
                    mine
                      ? "Scripts using it stop working at once. This can't be undone."
                      : `It belongs to ${token.ownerName}. Scripts using it stop working at once. This can't be undone.`
                  }
                  confirm="Revoke token"
                  pendingText="Revoking…"
                />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
