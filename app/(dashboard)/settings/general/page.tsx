import type { Metadata } from "next";
import { SpendCapCard } from "@/components/metrics/spend-cap-card";
import { CheckboxSettingForm } from "@/components/settings/checkbox-setting-form";
import { DiscardedRetentionForm } from "@/components/settings/discarded-retention-form";
import { RunCapForm } from "@/components/settings/run-cap-form";
import { TeamNameForm } from "@/components/settings/team-name-form";
import { WipLimitsForm } from "@/components/settings/wip-limits-form";
import { Card, CardHeader } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import { can, ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { MAX_AUTOMATIC_HANDBACKS } from "@/lib/conflicts/auto-resolve";
import { BOARD_COLUMN_LABELS } from "@/lib/tasks/board-columns";
import {
  DEFAULT_DISCARDED_RETENTION_DAYS,
  getTeam,
  getTeamSettings,
  MAX_DISCARDED_RETENTION_DAYS,
  WIP_COLUMNS,
} from "@/lib/teams/settings";
import { updateApprovalsAction, updateConflictsAction } from "./actions";

export const metadata: Metadata = { title: "General" };

export default async function GeneralSettingsPage() {
  const actor = await requireActor();
  const [team, settings] = await Promise.all([getTeam(actor), getTeamSettings(actor)]);
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
      {/* One card per settings group (lib/teams/settings.ts SETTINGS_GROUPS). */}
      <Card>
        <CardHeader
          title="WIP limits"
          description="The most cards a board column should hold. Over the limit, the column's header turns amber."
        />
        <div className="px-4 py-4">
          {canManage ? (
            <WipLimitsForm limits={settings.wipLimits} columns={WIP_COLUMNS} />
          ) : (
            <dl
              className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 text-sm"
              data-testid="wip-limits"
            >
              {WIP_COLUMNS.map((column) => (
                <div key={column} className="contents">
                  <dt className="text-muted-foreground">{BOARD_COLUMN_LABELS[column]}</dt>
                  <dd className="tabular">{settings.wipLimits[column] ?? "No limit"}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </Card>
      <Card>
        <CardHeader title="Reviews" description="A rule the server enforces on every approval." />
        <div className="px-4 py-4">
          {canManage ? (
            <CheckboxSettingForm
              action={updateApprovalsAction}
              name="requireIndependentApproval"
              enabled={settings.approvals.requireIndependentApproval}
              formLabel="Approvals"
              label="An approval must come from someone other than the person who assigned the task"
              hint="The server refuses a self-approval, from the browser and from API tokens alike."
              submitText="Save rule"
            />
          ) : (
            <p className="text-sm" data-testid="approval-rule">
              {settings.approvals.requireIndependentApproval
                ? "An approval must come from someone other than the person who assigned the task."
                : "Anyone who can review may approve, including the person who assigned the task."}
            </p>
          )}
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Runs at once"
          description="How many of the team's runs may work at the same time, across all agents. More wait in the queue and start as others finish; each agent's own cap (on its form) applies too."
        />
        <div className="px-4 py-4">
          {canManage ? (
            <RunCapForm maxConcurrentRuns={settings.runs.maxConcurrentRuns} />
          ) : (
            <p className="text-sm tabular" data-testid="run-cap">
              {settings.runs.maxConcurrentRuns} runs at once
            </p>
          )}
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Conflicts with the base"
          description="What happens when the base branch moves on and an open task's branch would no longer merge cleanly into it."
        />
        <div className="px-4 py-4">
          {canManage ? (
            <CheckboxSettingForm
              action={updateConflictsAction}
              name="autoResolveBaseConflicts"
              enabled={settings.conflicts.autoResolveBaseConflicts}
              formLabel="Conflicts"
              label="Hand such a task back to its agent automatically, to merge the base and resolve the conflicts"
              hint={`A follow-up run that merges the base into the branch and resolves the conflicts, as the review page's "Ask the agent to merge … and resolve" does; its result is reviewed again. Not while a run is working on the task, and at most ${MAX_AUTOMATIC_HANDBACKS} times per task.`}
              submitText="Save rule"
            />
          ) : (
            <p className="text-sm" data-testid="conflict-rule">
              {settings.conflicts.autoResolveBaseConflicts
                ? "A task whose branch would conflict with its moved base is handed back to its agent automatically."
                : "A task whose branch would conflict with its moved base waits for someone to hand it back."}
            </p>
          )}
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Discarded work"
          description="Discarding a task, or promoting one agent's attempt over the others, deletes the closed branches in the repository; Foreman keeps an archived copy so their final diffs stay readable on the review and compare pages. After this many days the archive is deleted and the page says the diff expired."
        />
        <div className="px-4 py-4">
          {canManage ? (
            <DiscardedRetentionForm
              retentionDays={settings.discarded.retentionDays}
              defaultDays={DEFAULT_DISCARDED_RETENTION_DAYS}
              maxDays={MAX_DISCARDED_RETENTION_DAYS}
            />
          ) : (
            <p className="text-sm tabular" data-testid="discarded-retention">
              {settings.discarded.retentionDays === 0
                ? "Discarded work is kept forever."
                : `Discarded work is kept for ${settings.discarded.retentionDays} days.`}
            </p>
          )}
        </div>
      </Card>
      <SpendCapCard canManage={canManage} teamId={actor.teamId} />
    </div>
  );
}
