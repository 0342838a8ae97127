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
import { getTeam } from "@/lib/teams/settings";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  // The sidebar's inbox badge starts from the server's count; team changes keep it live.
  const queryClient = makeQueryClient();
  const [inbox, team] = await Promise.all([listInbox(actor), getTeam(actor)]);
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
                title={team.name}
                data-testid="team-name"
              >
                {team.name}
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
          <UserMenu actor={actor} teams={await myTeams(actor)} />
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
