"use client";

import { KeyRound, TriangleAlert } from "lucide-react";
import { useActionState, useRef } from "react";
import { createTokenAction } from "@/app/(dashboard)/settings/tokens/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { CopyField } from "./copy-field";

export function CreateTokenForm() {
  const [state, action] = useActionState(createTokenAction, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useSuccessToast(state, () => form.current?.reset());
  const errors = state.fieldErrors ?? {};
  return (
    <div className="grid gap-4">
      <form ref={form} action={action} className="flex flex-wrap items-end gap-2" noValidate>
        <Field id="name" label="Token name" error={errors.name} className="min-w-64 flex-1">
          <Input
            {...fieldProps("name", errors.name)}
            placeholder="e.g. CI pipeline"
            defaultValue={state.ok ? "" : state.values?.name}
            autoComplete="off"
            maxLength={80}
          />
        </Field>
        <SubmitButton pendingText="Creating…" className={errors.name ? "mb-5" : undefined}>
          <KeyRound aria-hidden /> Create token
        </SubmitButton>
      </form>
      <FormError state={state} />
      {state.ok && state.data ? (
        <div className="grid gap-2 rounded-md border border-warning/40 bg-warning/10 p-3" role="status">
          <p className="flex items-center gap-1.5 text-sm font-medium">
            <TriangleAlert className="size-4 text-warning" aria-hidden />
            Copy “{state.data.name}” now: it won't be shown again.
          </p>
          <CopyField value={state.data.token} label="New API token" testId="new-token" />
          <p className="text-xs text-muted-foreground">
            Send it as <code className="font-mono">Authorization: Bearer …</code>. It acts with your role;
            revoke it below if it leaks.
          </p>
        </div>
      ) : null}
    </div>
  );
}
