"use client";

import { useActionState } from "react";
import { updateDiscardedRetentionAction } from "@/app/(dashboard)/settings/general/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";

/** Settings → General: how many days a discarded task's diff stays readable (0: forever). */
export function DiscardedRetentionForm({
  retentionDays,
  defaultDays,
  maxDays,
}: {
  retentionDays: number;
  defaultDays: number;
  maxDays: number;
}) {
  const [state, action] = useActionState(updateDiscardedRetentionAction, { ok: false });
  useSuccessToast(state);
  const error = state.fieldErrors?.retentionDays;
  const value = state.ok || !state.values ? String(retentionDays) : (state.values.retentionDays ?? "");
  return (
    <form action={action} className="grid gap-4" noValidate aria-label="Discarded work">
      <div className="max-w-xs">
        <Field
          id="team-discarded-retention"
          label="Days kept"
          hint={`0 keeps discarded work forever; empty for the default, ${defaultDays}.`}
          error={error}
        >
          <Input
            {...fieldProps("team-discarded-retention", error)}
            name="retentionDays"
            key={retentionDays}
            defaultValue={value}
            type="number"
            min={0}
            max={maxDays}
            step={1}
            inputMode="numeric"
            placeholder={String(defaultDays)}
            className="tabular"
          />
        </Field>
      </div>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Saving…">Save retention</SubmitButton>
      </div>
    </form>
  );
}
