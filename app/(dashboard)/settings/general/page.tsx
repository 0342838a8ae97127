import type { Metadata } from "next";
import { TeamNameForm } from "@/components/settings/team-name-form";
import { Card, CardHeader } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import { can, ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { getTeam } from "@/lib/teams/settings";

export const metadata: Metadata = { title: "General" };

export default async function GeneralSettingsPage() {
  const actor = await requireActor();
  const team = await getTeam(actor);
  const canManage = can(actor, "settings:manage");
  return (
    <div className="grid gap-3">
      <Card>
        <CardHeader
          title="Team"
          description={
            canManage ? "The name everyone in the team sees." : "Only admins can change team settings."
          }
        />
        <div className="px-4 py-4">
          {canManage ? (
            <TeamNameForm name={team.name} />
          ) : (
            <p className="text-sm font-medium" data-testid="team-name">
              {team.name}
            </p>
          )}
        </div>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 border-t px-4 py-3 text-sm">
          <dt className="text-muted-foreground">Members</dt>
          <dd className="tabular">{team.memberCount}</dd>
          <dt className="text-muted-foreground">Created</dt>
          <dd>
            <TimeAgo date={team.createdAt} />
          </dd>
          <dt className="text-muted-foreground">Your role</dt>
          <dd>
            {ROLE_LABELS[actor.role]}{" "}
            <span className="text-muted-foreground">· {ROLE_DESCRIPTIONS[actor.role]}</span>
          </dd>
        </dl>
      </Card>
    </div>
  );
}
