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
  longPromptAboveTokens?: number | null;
  longInputPerMtok?: number | null;
  longOutputPerMtok?: number | null;
  longCacheWritePerMtok?: number | null;
  longCacheReadPerMtok?: number | null;
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

type PriceField = readonly [id: keyof PriceRow, label: string, hint?: string];

const PRICE_FIELDS: readonly PriceField[] = [
  ["inputPerMtok", "Input", "Prompt tokens."],
  ["outputPerMtok", "Output", "Generated tokens, including thinking."],
  ["cacheWritePerMtok", "Cache write", "Tokens written to the prompt cache."],
  ["cacheReadPerMtok", "Cache read", "Tokens read back from the cache."],
];

const LONG_PRICE_FIELDS: readonly PriceField[] = [
  ["longInputPerMtok", "Input"],
  ["longOutputPerMtok", "Output"],
  ["longCacheWritePerMtok", "Cache write"],
  ["longCacheReadPerMtok", "Cache read"],
];

/** Every field the form holds beside the model name, as the text its input starts with. */
const NUMBER_FIELDS = [
  ...PRICE_FIELDS.map(([id]) => id),
  "contextWindow",
  "longPromptAboveTokens",
  ...LONG_PRICE_FIELDS.map(([id]) => id),
] as const;

/** Four prices in two columns, dollars per million tokens. */
function PriceInputs({
  fields,
  values,
  errors,
}: {
  fields: readonly PriceField[];
  values: Record<string, string | undefined>;
  errors: Record<string, string | undefined>;
}) {
  return (
    <div className="grid grid-cols-2 gap-3">
      {fields.map(([id, label, hint]) => (
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
  );
}

function ModelPriceForm({ price, onDone }: { price?: PriceRow; onDone: () => void }) {
  const [state, action] = useActionState(
    price ? updateModelPriceAction : createModelPriceAction,
    initialFormState,
  );
  useSuccessToast(state, onDone);
  const errors = state.fieldErrors ?? {};
  const stored: Record<string, string> = price
    ? Object.fromEntries([
        ["model", price.model],
        ...NUMBER_FIELDS.map((id) => [id, price[id] == null ? "" : String(price[id])]),
      ])
    : { contextWindow: "200000" };
  const longErrors = ["longPromptAboveTokens", ...LONG_PRICE_FIELDS.map(([id]) => id)].some(
    (id) => errors[id],
  );
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
      <PriceInputs fields={PRICE_FIELDS} values={values} errors={errors} />
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
      <details
        className="rounded-md border px-3 py-2"
        open={Boolean(values.longPromptAboveTokens) || longErrors}
      >
        <summary className="cursor-pointer text-sm font-medium">Long-prompt prices (optional)</summary>
        <p className="mt-1 text-xs text-muted-foreground">
          For models priced by prompt length: a request whose prompt (input, cache write and cache read
          tokens) is over the threshold is priced entirely at these rates, output included. Leave all empty
          for one price.
        </p>
        <div className="mt-3 grid gap-3">
          <Field
            id="longPromptAboveTokens"
            label="Above (prompt tokens)"
            error={errors.longPromptAboveTokens}
            hint="e.g. 100000"
          >
            <Input
              {...fieldProps("longPromptAboveTokens", errors.longPromptAboveTokens)}
              defaultValue={values.longPromptAboveTokens}
              inputMode="numeric"
              autoComplete="off"
              className="tabular"
            />
          </Field>
          <PriceInputs fields={LONG_PRICE_FIELDS} values={values} errors={errors} />
        </div>
      </details>
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
