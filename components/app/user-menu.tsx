import { LogOut } from "lucide-react";
import { signOut } from "@/lib/auth/config";
import type { Actor } from "@/lib/auth/permissions";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { TeamChoice } from "@/lib/teams/current";
import { TeamPicker } from "./team-picker";
import { ThemeToggle } from "./theme-toggle";

export function UserMenu({ actor, teams }: { actor: Actor; teams: TeamChoice[] }) {
  return (
    <div className="flex min-w-0 flex-col gap-2 border-t pt-3">
      {teams.length > 1 ? <TeamPicker teams={teams} currentTeamId={actor.teamId} /> : null}
      <div className="flex min-w-0 items-center gap-2 px-1 group-data-[collapsed]/sidebar:justify-center group-data-[collapsed]/sidebar:px-0">
        <div className="flex size-7 shrink-0 items-center justify-center rounded-full bg-accent/15 text-xs font-semibold text-accent">
          {actor.name.slice(0, 1).toUpperCase()}
        </div>
        <div className="min-w-0 flex-1 group-data-[collapsed]/sidebar:sr-only">
          <div className="truncate text-sm font-medium" data-testid="current-user">
            {actor.name}
          </div>
          <div className="truncate text-xs text-muted-foreground">
            {actor.email} · {ROLE_LABELS[actor.role]}
          </div>
        </div>
      </div>
      <div className="flex items-center justify-between px-1 group-data-[collapsed]/sidebar:justify-center group-data-[collapsed]/sidebar:px-0">
        <div className="group-data-[collapsed]/sidebar:hidden">
          <ThemeToggle />
        </div>
        <form
          action={async () => {
            "use server";
            await signOut({ redirectTo: "/sign-in" });
          }}
        >
          <button
            type="submit"
            title="Sign out"
            className="flex h-7 items-center gap-1.5 rounded-md px-2 text-xs text-muted-foreground hover:bg-muted hover:text-foreground"
          >
            <LogOut className="size-3.5" aria-hidden />
            <span className="group-data-[collapsed]/sidebar:sr-only">Sign out</span>
          </button>
        </form>
      </div>
    </div>
  );
}
