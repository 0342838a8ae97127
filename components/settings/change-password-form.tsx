"use client";

import { useActionState } from "react";
import { changePasswordAction } from "@/app/(dashboard)/settings/account/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

/** On success the action signs this browser out and opens sign-in, so there is no success state here. */
export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="grid max-w-md gap-3" noValidate>
      <Field id="currentPassword" label="Current password" error={errors.currentPassword}>
        <Input
          {...fieldProps("currentPassword", errors.currentPassword)}
          type="password"
          autoComplete="current-password"
          maxLength={200}
        />
      </Field>
      <Field id="newPassword" label="New password" error={errors.newPassword} hint="At least 8 characters.">
        <Input
          {...fieldProps("newPassword", errors.newPassword)}
          type="password"
          autoComplete="new-password"
          maxLength={200}
        />
      </Field>
      <Field id="confirmPassword" label="New password again" error={errors.confirmPassword}>
        <Input
          {...fieldProps("confirmPassword", errors.confirmPassword)}
          type="password"
          autoComplete="new-password"
          maxLength={200}
        />
      </Field>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Changing…">Change password</SubmitButton>
      </div>
    </form>
  );
}
