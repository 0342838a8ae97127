import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { cookies } from "next/headers";
import type * as React from "react";
import { Logo } from "@/components/app/logo";
import { SandboxBanner } from "@/components/app/sandbox-banner";
import { Sidebar } from "@/components/app/sidebar";
import { SIDEBAR_COOKIE } from "@/components/app/sidebar-cookie";
import { SidebarNav } from "@/components/app/sidebar-nav";
import { TeamChanges } from "@/components/app/use-team-changes";
import { UserMenu } from "@/components/app/user-menu";
import { inboxKeys } from "@/components/inbox/inbox-query";
import { requireActor } from "@/lib/auth/session";
import { listInbox } from "@/lib/inbox/queries";
import { makeQueryClient } from "@/lib/query/client";
import { sandboxStatus } from "@/lib/sandbox/status";
import { myTeams } from "@/lib/teams/current";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  // The sidebar's inbox badge starts from the server's count; team changes keep it live.
  const queryClient = makeQueryClient();
  // One query gives the team picker its teams and the sidebar the current team's name.
  const [inbox, teams] = await Promise.all([listInbox(actor), myTeams(actor)]);
  const teamName = teams.find((team) => team.id === actor.teamId)?.name ?? "";
  queryClient.setQueryData(inboxKeys.all, inbox);
  return (
    <div className="flex min-h-screen">
      <Sidebar
        initialCollapsed={(await cookies()).get(SIDEBAR_COOKIE)?.value === "collapsed"}
        logo={
          <>
            <Logo className="size-5 shrink-0" />
            <span className="grid min-w-0 leading-tight">
              <span>Foreman</span>
              <span
                className="truncate text-xs font-normal text-muted-foreground"
                title={teamName}
                data-testid="team-name"
              >
                {teamName}
              </span>
            </span>
          </>
        }
      >
        <HydrationBoundary state={dehydrate(queryClient)}>
          <SidebarNav />
        </HydrationBoundary>
        <TeamChanges />
        <div className="mt-auto">
          <UserMenu actor={actor} teams={teams} />
        </div>
      </Sidebar>
      <main className="min-w-0 flex-1 px-8 py-6">
        <SandboxBanner status={await sandboxStatus()} />
        {/* A page whose first element carries data-wide (the board) uses the whole width. */}
        <div className="mx-auto max-w-6xl has-[>[data-wide]]:max-w-none">{children}</div>
      </main>
    </div>
  );
}
