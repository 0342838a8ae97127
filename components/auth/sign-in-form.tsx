"use client";

import { useActionState } from "react";
import { signInAction } from "@/app/(auth)/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

export function SignInForm({ next }: { next?: string }) {
  const [state, action] = useActionState(signInAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="next" value={next ?? ""} />
      <Field id="email" label="Email" error={errors.email}>
        <Input
          {...fieldProps("email", errors.email)}
          type="email"
          autoComplete="email"
          autoFocus
          defaultValue={state.values?.email}
        />
      </Field>
      <Field id="password" label="Password" error={errors.password}>
        <Input {...fieldProps("password", errors.password)} type="password" autoComplete="current-password" />
      </Field>
      <FormError state={state} />
      <SubmitButton className="w-full" pendingText="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
