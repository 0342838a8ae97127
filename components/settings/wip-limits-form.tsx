"use client";

import { useActionState } from "react";
import { updateWipLimitsAction } from "@/app/(dashboard)/settings/general/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { BOARD_COLUMN_LABELS } from "@/lib/tasks/board-columns";
import type { WipColumn, WipLimits } from "@/lib/teams/settings";

/** One number per active board column; empty means no limit. */
export function WipLimitsForm({ limits, columns }: { limits: WipLimits; columns: readonly WipColumn[] }) {
  const [state, action] = useActionState(updateWipLimitsAction, { ok: false });
  useSuccessToast(state);
  const errors = state.fieldErrors ?? {};
  const value = (column: WipColumn) =>
    state.ok || !state.values ? (limits[column]?.toString() ?? "") : (state.values[column] ?? "");
  return (
    <form action={action} className="grid gap-4" noValidate aria-label="WIP limits">
      <div className="grid gap-4 sm:grid-cols-5">
        {columns.map((column) => (
          <Field key={column} id={`wip-${column}`} label={BOARD_COLUMN_LABELS[column]} error={errors[column]}>
            <Input
              {...fieldProps(`wip-${column}`, errors[column])}
              name={column}
              key={`${column}-${limits[column] ?? ""}`}
              defaultValue={value(column)}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              placeholder="No limit"
              className="tabular"
            />
          </Field>
        ))}
      </div>
      <FormError state={state} />
      <div>
        <SubmitButton pendingText="Saving…">Save limits</SubmitButton>
      </div>
    </form>
  );
}
