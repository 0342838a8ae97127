import type { Metadata } from "next";
import type * as React from "react";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: { template: "%s · Settings", default: "Settings" } };

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your team, its members, the models agents use, and API access."
      />
      <SettingsTabs isAdmin={can(actor, "settings:manage")} />
      {children}
    </>
  );
}
