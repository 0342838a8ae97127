"use client";

import { useActionState } from "react";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import type { FormState } from "@/lib/actions/form-state";

/** Settings → General: one on/off team rule, saved by its server action (lib/teams/settings.ts). */
export function CheckboxSettingForm({
  action: save,
  name,
  enabled,
  label,
  hint,
  formLabel,
  submitText,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState<unknown>>;
  name: string;
  enabled: boolean;
  label: string;
  hint: string;
  formLabel: string;
  submitText: string;
}) {
  const [state, action] = useActionState(save, { ok: false });
  useSuccessToast(state);
  return (
    <form action={action} className="grid gap-3" aria-label={formLabel}>
      <label className="flex items-start gap-2.5 text-sm">
        <input
          type="checkbox"
          name={name}
          key={String(enabled)}
          defaultChecked={enabled}
          className="mt-0.5 size-4 accent-[var(--color-accent)]"
        />
        <span>
          <span className="font-medium">{label}</span>
          <span className="block text-xs text-muted-foreground">{hint}</span>
        </span>
      </label>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Saving…">{submitText}</SubmitButton>
      </div>
    </form>
  );
}
