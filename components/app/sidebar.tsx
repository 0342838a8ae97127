"use client";

import { PanelLeftClose, PanelLeftOpen } from "lucide-react";
import type * as React from "react";
import { useCallback, useEffect, useState } from "react";
import { isTypingTarget } from "@/components/app/keyboard";
import { cn } from "@/lib/utils";
import { SIDEBAR_COOKIE } from "./sidebar-cookie";

/**
 * The app's sidebar, collapsible to a rail of icons (the button beside the logo, or `[`), remembered in a
 * cookie. Children style themselves with `group-data-[collapsed]/sidebar:` variants.
 */
export function Sidebar({
  initialCollapsed,
  logo,
  children,
}: {
  initialCollapsed: boolean;
  logo: React.ReactNode;
  children: React.ReactNode;
}) {
  const [collapsed, setCollapsed] = useState(initialCollapsed);
  const toggle = useCallback(() => {
    setCollapsed((was) => {
      const next = !was;
      // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie; the server layout reads it.
      document.cookie = `${SIDEBAR_COOKIE}=${next ? "collapsed" : "expanded"}; path=/; max-age=31536000; samesite=lax`;
      return next;
    });
  }, []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key !== "[" || isTypingTarget(event.target)) return;
      event.preventDefault();
      toggle();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggle]);
  const Icon = collapsed ? PanelLeftOpen : PanelLeftClose;
  return (
    <aside
      data-collapsed={collapsed ? "" : undefined}
      className={cn(
        "group/sidebar sticky top-0 flex h-screen shrink-0 flex-col overflow-hidden border-r bg-sidebar py-4",
        collapsed ? "w-14 px-2" : "w-56 px-3",
      )}
    >
      <div
        className={cn("mb-5 flex items-center gap-2 font-semibold", collapsed ? "justify-center" : "px-1.5")}
      >
        {collapsed ? null : logo}
        <button
          type="button"
          onClick={toggle}
          aria-label={collapsed ? "Expand sidebar" : "Collapse sidebar"}
          aria-expanded={!collapsed}
          title={`${collapsed ? "Expand" : "Collapse"} sidebar ([)`}
          className={cn(
            "flex size-7 items-center justify-center rounded-md text-muted-foreground hover:bg-muted hover:text-foreground",
            !collapsed && "ml-auto",
          )}
        >
          <Icon className="size-4" aria-hidden />
        </button>
      </div>
      {children}
    </aside>
  );
}
