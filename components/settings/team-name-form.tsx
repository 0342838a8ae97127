"use client";

import { useActionState } from "react";
import { renameTeamAction } from "@/app/(dashboard)/settings/general/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";

export function TeamNameForm({ name }: { name: string }) {
  const [state, action] = useActionState(renameTeamAction, { ok: false });
  useSuccessToast(state);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="grid max-w-md gap-3" noValidate>
      <Field
        id="name"
        label="Team name"
        error={errors.name}
        hint="Shown in invites and across the dashboard."
      >
        <Input
          {...fieldProps("name", errors.name)}
          key={name}
          defaultValue={state.ok ? name : (state.values?.name ?? name)}
          maxLength={100}
        />
      </Field>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}
