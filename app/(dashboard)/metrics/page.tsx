import { ChartColumn } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Metrics" };

export default async function MetricsPage() {
  await requireActor();
  return (
    <>
      <PageHeader title="Metrics" description="Cost, duration, success rate and review turnaround." />
      <EmptyState icon={ChartColumn} title="No runs to measure yet">
        Once agents have run a few tasks, this page shows what they cost, how long they took, which agents
        succeed most and where reviews are waiting.
      </EmptyState>
    </>
  );
}
