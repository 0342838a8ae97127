"use client";

import { useActionState } from "react";
import { setSpendCapAction } from "@/app/(dashboard)/metrics/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";

export function SpendCapForm({ capUsd }: { capUsd: number | null }) {
  const [state, action] = useActionState(setSpendCapAction, { ok: false });
  useSuccessToast(state);
  const errors = state.fieldErrors ?? {};
  const current = capUsd === null ? "" : String(capUsd);
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" noValidate>
      <Field id="capUsd" label="Monthly spend cap (USD)" error={errors.capUsd} hint="Empty: no cap.">
        <Input
          {...fieldProps("capUsd", errors.capUsd)}
          key={current}
          inputMode="decimal"
          placeholder="e.g. 500"
          defaultValue={state.ok ? current : (state.values?.capUsd ?? current)}
          className="w-36 tabular-nums"
        />
      </Field>
      <SubmitButton pendingText="Saving…" variant="secondary" className="mt-6">
        Save cap
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}
