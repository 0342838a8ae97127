"use client";

import { RotateCcw } from "lucide-react";
import { useActionState } from "react";
import { resetDemoWorkspaceAction } from "@/app/(dashboard)/board/actions";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** Shown once the demo task is merged: the demo repository gets its failing test back. */
export function ResetDemoButton() {
  const [state, action] = useActionState(resetDemoWorkspaceAction, initialFormState);
  return (
    <form action={action} className="grid justify-items-end gap-2">
      <SubmitButton variant="secondary" pendingText="Resetting the demo…">
        <RotateCcw aria-hidden /> Reset the demo
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}
