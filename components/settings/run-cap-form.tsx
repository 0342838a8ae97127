"use client";

import { useActionState } from "react";
import { updateRunCapAction } from "@/app/(dashboard)/settings/general/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { DEFAULT_TEAM_CONCURRENCY, MAX_CONCURRENCY_CAP } from "@/lib/queue/caps";

/** Settings → General: how many of the team's runs may be active at once. */
export function RunCapForm({ maxConcurrentRuns }: { maxConcurrentRuns: number }) {
  const [state, action] = useActionState(updateRunCapAction, { ok: false });
  useSuccessToast(state);
  const error = state.fieldErrors?.maxConcurrentRuns;
  const value =
    state.ok || !state.values ? String(maxConcurrentRuns) : (state.values.maxConcurrentRuns ?? "");
  return (
    <form action={action} className="grid gap-4" noValidate aria-label="Runs at once">
      <div className="max-w-xs">
        <Field
          id="team-max-concurrent-runs"
          label="Runs at once"
          hint={`1 to ${MAX_CONCURRENCY_CAP.toLocaleString("en-US")}; empty for the default, ${DEFAULT_TEAM_CONCURRENCY}.`}
          error={error}
        >
          <Input
            {...fieldProps("team-max-concurrent-runs", error)}
            name="maxConcurrentRuns"
            key={maxConcurrentRuns}
            defaultValue={value}
            type="number"
            min={1}
            max={MAX_CONCURRENCY_CAP}
            step={1}
            inputMode="numeric"
            placeholder={String(DEFAULT_TEAM_CONCURRENCY)}
            className="tabular"
          />
        </Field>
      </div>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Saving…">Save cap</SubmitButton>
      </div>
    </form>
  );
}
