import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { CreateTokenForm } from "@/components/settings/create-token-form";
import { TokensTable } from "@/components/settings/tokens-table";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/tokens/service";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensSettingsPage() {
  const actor = await requireActor();
  const tokens = await listApiTokens(actor);
  const isAdmin = can(actor, "members:manage");
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader
          title="Create a token"
          description={`Tokens let scripts and CI use Foreman's API. A token acts as you, with your role (${ROLE_LABELS[actor.role].toLowerCase()}).`}
        />
        <div className="p-4">
          <CreateTokenForm />
        </div>
      </Card>
      <Card>
        <CardHeader
          title={isAdmin ? "Team tokens" : "Your tokens"}
          description={
            isAdmin ? "Every active token in the team; as an admin you can revoke any of them." : undefined
          }
        />
        {tokens.length > 0 ? (
          <TokensTable tokens={tokens} showOwner={isAdmin} currentUserId={actor.userId} />
        ) : (
          <div className="p-4">
            <EmptyState icon={KeyRound} title="No API tokens yet">
              Name a token after the script or pipeline that will use it, so you know what breaks if you
              revoke it.
            </EmptyState>
          </div>
        )}
      </Card>
    </div>
  );
}
