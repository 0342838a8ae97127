import { Lock } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** Shown instead of a form the viewer's role can't submit (the action refuses them anyway). */
export function NoPermission({ what }: { what: string }) {
  return (
    <EmptyState
      icon={Lock}
      title="You don't have permission"
      action={
        <Button asChild variant="secondary">
          <Link href="/agents">Back to agents</Link>
        </Button>
      }
    >
      Only developers and admins can {what}. Ask an admin to change your role if you need to.
    </EmptyState>
  );
}
