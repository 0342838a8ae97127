"use client";

import { FlaskConical } from "lucide-react";
import { useActionState } from "react";
import { loadDemoWorkspaceAction } from "@/app/(dashboard)/board/actions";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** Creates the offline demo repository and agent, then opens the new-task form prefilled for them. */
export function LoadDemoButton() {
  const [state, action] = useActionState(loadDemoWorkspaceAction, initialFormState);
  return (
    <form action={action} className="grid justify-items-center gap-2">
      <SubmitButton pendingText="Creating the demo repository…">
        <FlaskConical aria-hidden /> Load demo workspace
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}
