"use client";

import { useQuery } from "@tanstack/react-query";
import { Bot, ChartColumn, FolderGit2, Inbox, KanbanSquare, Settings } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { inboxQueryOptions } from "@/components/inbox/inbox-query";
import { cn } from "@/lib/utils";

const NAV = [
  { href: "/board", label: "Board", icon: KanbanSquare },
  { href: "/inbox", label: "Inbox", icon: Inbox },
  { href: "/agents", label: "Agents", icon: Bot },
  { href: "/repos", label: "Repositories", icon: FolderGit2 },
  { href: "/metrics", label: "Metrics", icon: ChartColumn },
  { href: "/settings", label: "Settings", icon: Settings },
] as const;

export function SidebarNav() {
  const pathname = usePathname();
  // Shares the inbox page's query: the count changes live with team changes.
  const { data: inbox } = useQuery(inboxQueryOptions());
  const waiting = inbox?.length ?? 0;
  return (
    <nav aria-label="Main" className="grid gap-0.5">
      {NAV.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            title={label}
            className={cn(
              "relative flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm text-muted-foreground transition-colors hover:bg-muted hover:text-foreground",
              "group-data-[collapsed]/sidebar:justify-center group-data-[collapsed]/sidebar:px-0",
              active && "bg-muted font-medium text-foreground",
            )}
          >
            <Icon className="size-4 shrink-0" aria-hidden />
            <span className="group-data-[collapsed]/sidebar:sr-only">{label}</span>
            {href === "/inbox" && waiting > 0 ? (
              <span
                data-testid="inbox-count"
                className={cn(
                  "tabular ml-auto rounded-full bg-amber-500/15 px-1.5 text-xs font-medium text-amber-700 dark:text-amber-300",
                  "group-data-[collapsed]/sidebar:absolute group-data-[collapsed]/sidebar:-top-0.5 group-data-[collapsed]/sidebar:right-0 group-data-[collapsed]/sidebar:bg-amber-500/25 group-data-[collapsed]/sidebar:px-1 group-data-[collapsed]/sidebar:text-[10px]",
                )}
              >
                {waiting}
                <span className="sr-only"> waiting on you</span>
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
