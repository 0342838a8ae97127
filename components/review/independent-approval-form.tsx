"use client";

import { useActionState } from "react";
import { updateApprovalsAction } from "@/app/(dashboard)/settings/general/actions";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";

/** Settings → General: the team's approval rule, enforced by the server on every approval. */
export function IndependentApprovalForm({ enabled }: { enabled: boolean }) {
  const [state, action] = useActionState(updateApprovalsAction, { ok: false });
  useSuccessToast(state);
  return (
    <form action={action} className="grid gap-3" aria-label="Approvals">
      <label className="flex items-start gap-2.5 text-sm">
        <input
          type="checkbox"
          name="requireIndependentApproval"
          key={String(enabled)}
          defaultChecked={enabled}
          className="mt-0.5 size-4 accent-[var(--color-accent)]"
        />
        <span>
          <span className="font-medium">
            An approval must come from someone other than the person who assigned the task
          </span>
          <span className="block text-xs text-muted-foreground">
            The server refuses a self-approval, from the browser and from API tokens alike.
          </span>
        </span>
      </label>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Saving…">Save rule</SubmitButton>
      </div>
    </form>
  );
}
