"use client";

import { useActionState } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

/** Founding the team (no invite) or joining it through an invite link. */
export function SignUpForm({ invite }: { invite?: string }) {
  const [state, action] = useActionState(signUpAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    <form action={action} className="grid gap-4" noValidate>
      {invite ? <input type="hidden" name="invite" value={invite} /> : null}
      {invite ? null : (
        <Field id="teamName" label="Team name" error={errors.teamName} hint="You can change it later.">
          <Input
            {...fieldProps("teamName", errors.teamName)}
            defaultValue={values.teamName}
            placeholder="Acme"
          />
        </Field>
      )}
      <Field id="name" label="Your name" error={errors.name}>
        <Input {...fieldProps("name", errors.name)} autoComplete="name" defaultValue={values.name} />
      </Field>
      <Field id="email" label="Email" error={errors.email}>
        <Input
          {...fieldProps("email", errors.email)}
          type="email"
          autoComplete="email"
          defaultValue={values.email}
        />
      </Field>
      <Field id="password" label="Password" error={errors.password} hint="At least 8 characters.">
        <Input {...fieldProps("password", errors.password)} type="password" autoComplete="new-password" />
      </Field>
      <FormError state={state} />
      <SubmitButton className="w-full" pendingText="Creating account…">
        {invite ? "Join the team" : "Create team and account"}
      </SubmitButton>
    </form>
  );
}
