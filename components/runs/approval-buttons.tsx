"use client";

import { Check, X } from "lucide-react";
import { useActionState } from "react";
import { decideApprovalAction } from "@/app/(dashboard)/runs/actions";
import { FormError, SubmitButton, toastingAction } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

// The decision arrives over the run's stream and replaces these buttons, often before the answer does.
const decide = toastingAction(decideApprovalAction);

export function ApprovalButtons({ runId, toolUseId }: { runId: string; toolUseId: string }) {
  const [state, action] = useActionState(decide, initialFormState);
  return (
    <form action={action} className="grid gap-2">
      <input type="hidden" name="runId" value={runId} />
      <input type="hidden" name="toolUseId" value={toolUseId} />
      <div className="flex gap-2">
        <SubmitButton size="sm" name="approved" value="true">
          <Check aria-hidden /> Approve
        </SubmitButton>
        <SubmitButton size="sm" variant="secondary" name="approved" value="false">
          <X aria-hidden /> Deny
        </SubmitButton>
      </div>
      <FormError state={state} />
    </form>
  );
}
