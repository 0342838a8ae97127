import { Lock } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

/** What someone sees on a settings page their role can't open: no data, and who can help. */
export function NoAccess({ children }: { children: React.ReactNode }) {
  return (
    <EmptyState icon={Lock} title="You don't have access">
      {children}
    </EmptyState>
  );
}
