"use client";

import { useActionState } from "react";
import { switchTeamAction } from "@/app/(dashboard)/actions";
import { FormError } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";
import type { TeamChoice } from "@/lib/teams/current";

/** For people in several teams: choosing one switches at once (and works without JavaScript too). */
export function TeamPicker({ teams, currentTeamId }: { teams: TeamChoice[]; currentTeamId: string }) {
  const [state, action, pending] = useActionState(switchTeamAction, initialFormState);
  return (
    <form action={action} className="grid gap-1 px-1 group-data-[collapsed]/sidebar:hidden">
      <label htmlFor="team-picker" className="text-xs text-muted-foreground">
        Team
      </label>
      <div className="flex gap-1">
        <select
          id="team-picker"
          name="teamId"
          defaultValue={currentTeamId}
          disabled={pending}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          className="h-7 min-w-0 flex-1 rounded-md border bg-surface px-2 text-xs"
        >
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <noscript>
          <button type="submit" className="h-7 rounded-md border px-2 text-xs">
            Switch
          </button>
        </noscript>
      </div>
      <FormError state={state} />
    </form>
  );
}
