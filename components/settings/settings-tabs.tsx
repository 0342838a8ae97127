"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const TABS = [
  { href: "/settings/general", label: "General", adminOnly: false },
  { href: "/settings/members", label: "Members", adminOnly: false },
  { href: "/settings/models", label: "Models", adminOnly: false },
  { href: "/settings/tokens", label: "API tokens", adminOnly: false },
  { href: "/settings/audit", label: "Audit log", adminOnly: true },
  { href: "/settings/account", label: "Your account", adminOnly: false },
] as const;

/** The settings pages this person can open (the audit log is for admins; the others read-only for the rest). */
export function SettingsTabs({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="mb-5 flex gap-1 border-b">
      {TABS.filter((tab) => isAdmin || !tab.adminOnly).map(({ href, label }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 border-transparent px-3 pb-2 pt-1 text-sm text-muted-foreground transition-colors hover:text-foreground",
              active && "border-accent font-medium text-foreground",
            )}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
