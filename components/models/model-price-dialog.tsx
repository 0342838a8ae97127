"use client";

import { Pencil, Plus } from "lucide-react";
import { useActionState, useState } from "react";
import { createModelPriceAction, updateModelPriceAction } from "@/app/(dashboard)/settings/models/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

export interface PriceRow {
  model: string;
  inputPerMtok: number;
  outputPerMtok: number;
  cacheWritePerMtok: number;
  cacheReadPerMtok: number;
  contextWindow: number;
}

/** "Add model" (no price) or a row's "Edit" (with its price): the same form in a dialog. */
export function ModelPriceDialog({ price }: { price?: PriceRow }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        {price ? (
          <Button variant="ghost" size="sm" aria-label={`Edit ${price.model}`}>
            <Pencil aria-hidden /> Edit
          </Button>
        ) : (
          <Button size="sm">
            <Plus aria-hidden /> Add model
          </Button>
        )}
      </DialogTrigger>
      <DialogContent
        title={price ? `Edit ${price.model}` : "Add model"}
        description="List prices in US dollars per million tokens, as the provider publishes them."
        className="max-w-lg"
      >
        <ModelPriceForm price={price} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

const PRICE_FIELDS = [
  ["inputPerMtok", "Input", "Prompt tokens."],
  ["outputPerMtok", "Output", "Generated tokens, including thinking."],
  ["cacheWritePerMtok", "Cache write", "Tokens written to the prompt cache."],
  ["cacheReadPerMtok", "Cache read", "Tokens read back from the cache."],
] as const;

function ModelPriceForm({ price, onDone }: { price?: PriceRow; onDone: () => void }) {
  const [state, action] = useActionState(
    price ? updateModelPriceAction : createModelPriceAction,
    initialFormState,
  );
  useSuccessToast(state, onDone);
  const errors = state.fieldErrors ?? {};
  const stored: Record<string, string> = price
    ? {
        model: price.model,
        inputPerMtok: String(price.inputPerMtok),
        outputPerMtok: String(price.outputPerMtok),
        cacheWritePerMtok: String(price.cacheWritePerMtok),
        cacheReadPerMtok: String(price.cacheReadPerMtok),
        contextWindow: String(price.contextWindow),
      }
    : { contextWindow: "200000" };
  const values = { ...stored, ...(state.ok ? {} : state.values) };

  return (
    <form action={action} noValidate className="grid gap-4">
      <Field
        id="model"
        label="Model"
        error={errors.model}
        hint={price ? "To rename a model, add it under the new name." : "The exact model id the API expects."}
      >
        <Input
          {...fieldProps("model", errors.model)}
          defaultValue={values.model}
          readOnly={Boolean(price)}
          className="font-mono read-only:bg-muted"
          placeholder="claude-sonnet-5-5"
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
        />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        {PRICE_FIELDS.map(([id, label, hint]) => (
          <Field key={id} id={id} label={`${label} ($ / MTok)`} error={errors[id]} hint={hint}>
            <Input
              {...fieldProps(id, errors[id])}
              defaultValue={values[id]}
              inputMode="decimal"
              autoComplete="off"
              className="tabular"
              placeholder="0.00"
            />
          </Field>
        ))}
      </div>
      <Field
        id="contextWindow"
        label="Context window (tokens)"
        error={errors.contextWindow}
        hint="The most tokens the model accepts in one request; at least 1,000."
      >
        <Input
          {...fieldProps("contextWindow", errors.contextWindow)}
          defaultValue={values.contextWindow}
          inputMode="numeric"
          autoComplete="off"
          className="tabular"
        />
      </Field>
      <FormError state={state} />
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button type="button" variant="secondary">
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pendingText="Saving…">{price ? "Save prices" : "Add model"}</SubmitButton>
      </div>
    </form>
  );
}
