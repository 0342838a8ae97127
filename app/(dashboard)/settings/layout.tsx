import type { Metadata } from "next";
import type * as React from "react";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: { template: "%s · Settings", default: "Settings" } };

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your team, its members, the models agents use, and API access."
      />
      <SettingsTabs />
      {children}
    </>
  );
}
