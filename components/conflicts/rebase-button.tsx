"use client";

import { Bot } from "lucide-react";
import { useActionState } from "react";
import { resolveAction } from "@/app/(dashboard)/tasks/[id]/review/actions";
import { FormError, SubmitButton, toastingAction } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** A predicted conflict with the base, handed back to the agent before anyone tries the merge. */
export function RebaseButton({ taskId, baseBranch }: { taskId: string; baseBranch: string }) {
  const [state, formAction] = useActionState(toastingAction(resolveAction), initialFormState);
  return (
    <form action={formAction} className="mt-1 grid justify-items-start gap-1">
      <input type="hidden" name="taskId" value={taskId} />
      <SubmitButton size="sm" variant="secondary" pendingText="Queuing…">
        <Bot aria-hidden /> Ask the agent to merge {baseBranch} and resolve
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}
