import { z } from "zod";

interface NumberRule {
  /** How the message names the field: "Max steps", "Input price". */
  label: string;
  min?: number;
  max?: number;
  integer?: boolean;
  /** Overrides the message for values below `min`. */
  minMessage?: string;
  maxMessage?: string;
  /** What empty input becomes (null: "off"; a number: the default); left out, empty is an error. */
  empty?: number | null;
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

function parseNumber(value: string | number | null | undefined, rule: NumberRule, ctx: z.RefinementCtx) {
  const text = typeof value === "number" ? String(value) : (value ?? "").trim();
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (text === "") return rule.empty !== undefined ? rule.empty : fail(`Enter ${rule.label.toLowerCase()}.`);
  // Number("") is 0 and Number("abc") is NaN: check the text so neither slips through as a value.
  const n = Number(text);
  if (!Number.isFinite(n)) return fail(`${rule.label} must be a number.`);
  if (rule.integer && !Number.isInteger(n)) return fail(`${rule.label} must be a whole number.`);
  if (rule.min !== undefined && n < rule.min) {
    return fail(rule.minMessage ?? `${rule.label} must be at least ${grouped.format(rule.min)}.`);
  }
  if (rule.max !== undefined && n > rule.max) {
    return fail(rule.maxMessage ?? `${rule.label} must be at most ${grouped.format(rule.max)}.`);
  }
  return n;
}

const numberLike = (label: string) =>
  z.union([z.string(), z.number()], { error: `${label} must be a number.` }).nullish();

/** A number typed into a form (a string) or sent by an API client (a number), with readable errors. */
type NumberInput = string | number | null | undefined;
export function formNumber(rule: NumberRule & { empty: null }): z.ZodType<number | null, NumberInput>;
export function formNumber(rule: NumberRule): z.ZodType<number, NumberInput>;
export function formNumber(rule: NumberRule): z.ZodType<number | null, NumberInput> {
  return numberLike(rule.label).transform((value, ctx) => parseNumber(value, rule, ctx));
}

/** Like formNumber with `empty: null`, and the field may be left out altogether (an older client). */
export function optionalFormNumber(rule: NumberRule) {
  return numberLike(rule.label).transform(
    (value, ctx): number | null => parseNumber(value, { ...rule, empty: null }, ctx) as number | null,
  );
}

export const MODEL_NAME_PATTERN = /^[A-Za-z0-9._:/-]{1,100}$/;

export const modelNameSchema = z
  .string({ error: "Enter a model name." })
  .trim()
  .min(1, "Enter a model name.")
  .max(100, "Model names are at most 100 characters.")
  .regex(MODEL_NAME_PATTERN, "Use only letters, digits and . _ : / - in model names.");

// numeric(12, 4) holds up to 99,999,999.9999; no real price comes near this.
const price = (label: string) =>
  formNumber({
    label,
    min: 0,
    max: 100_000,
    minMessage: `${label} can't be below zero.`,
  });

const optionalPrice = (label: string) =>
  optionalFormNumber({ label, min: 0, max: 100_000, minMessage: `${label} can't be below zero.` });

/** The long-prompt tier's fields: all empty (no tier) or all filled. */
const LONG_FIELDS = [
  "longInputPerMtok",
  "longOutputPerMtok",
  "longCacheWritePerMtok",
  "longCacheReadPerMtok",
] as const;

export const modelPriceSchema = z
  .object({
    model: modelNameSchema,
    inputPerMtok: price("Input price"),
    outputPerMtok: price("Output price"),
    cacheWritePerMtok: price("Cache write price"),
    cacheReadPerMtok: price("Cache read price"),
    contextWindow: formNumber({
      label: "Context window",
      integer: true,
      min: 1000,
      max: 100_000_000,
      minMessage: "Context window must be at least 1,000 tokens.",
    }),
    longPromptAboveTokens: optionalFormNumber({
      label: "Long-prompt threshold",
      integer: true,
      min: 1,
      max: 100_000_000,
    }),
    longInputPerMtok: optionalPrice("Long-prompt input price"),
    longOutputPerMtok: optionalPrice("Long-prompt output price"),
    longCacheWritePerMtok: optionalPrice("Long-prompt cache write price"),
    longCacheReadPerMtok: optionalPrice("Long-prompt cache read price"),
  })
  .superRefine((value, ctx) => {
    if (value.longPromptAboveTokens === null) {
      if (LONG_FIELDS.some((field) => value[field] !== null))
        ctx.addIssue({
          code: "custom",
          path: ["longPromptAboveTokens"],
          message: "Enter the prompt size above which the long-prompt prices apply, or clear those prices.",
        });
      return;
    }
    for (const field of LONG_FIELDS)
      if (value[field] === null)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "Enter this price too: a long-prompt tier needs all four.",
        });
  });
export type ModelPriceInput = z.input<typeof modelPriceSchema>;
export type ModelPriceValues = z.output<typeof modelPriceSchema>;

export const modelRefSchema = z.object({ model: modelNameSchema });
