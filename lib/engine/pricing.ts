// What a model call cost, from its token usage and the team's catalogue price. A model without a
// price costs 0 and is flagged unpriced: the dashboard shows "unpriced", never a guessed number.
import type { ModelPrice } from "@/db/schema/models";

/** The usage fields the Messages API reports (the SDK's `Usage` fits). */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** USD per million tokens (a catalogue row fits), with an optional long-prompt tier. */
export type TokenPrice = Pick<
  ModelPrice,
  "inputPerMtok" | "outputPerMtok" | "cacheWritePerMtok" | "cacheReadPerMtok"
> &
  Partial<
    Pick<
      ModelPrice,
      | "longPromptAboveTokens"
      | "longInputPerMtok"
      | "longOutputPerMtok"
      | "longCacheWritePerMtok"
      | "longCacheReadPerMtok"
    >
  >;

type Rates = Pick<TokenPrice, "inputPerMtok" | "outputPerMtok" | "cacheWritePerMtok" | "cacheReadPerMtok">;

/**
 * The rates one request pays: the long-prompt tier's when the catalogue row has one and the request's
 * prompt (input + cache write + cache read tokens) is over its threshold — then every token of it,
 * output included, is priced at that tier (as Anthropic bills tiered models).
 */
export function ratesFor(usage: TokenUsage, price: TokenPrice): Rates {
  const prompt =
    tokens(usage.input_tokens) +
    tokens(usage.cache_creation_input_tokens) +
    tokens(usage.cache_read_input_tokens);
  const threshold = price.longPromptAboveTokens;
  if (
    threshold == null ||
    prompt <= threshold ||
    price.longInputPerMtok == null ||
    price.longOutputPerMtok == null ||
    price.longCacheWritePerMtok == null ||
    price.longCacheReadPerMtok == null
  )
    return price;
  return {
    inputPerMtok: price.longInputPerMtok,
    outputPerMtok: price.longOutputPerMtok,
    cacheWritePerMtok: price.longCacheWritePerMtok,
    cacheReadPerMtok: price.longCacheReadPerMtok,
  };
}

export interface UsageCost {
  costUsd: number;
  unpriced: boolean;
}

// The catalogue stores prices with 4 decimals; in units of 1e-4 USD per Mtok every product below is an
// integer, so the sum is exact and the one division at the end is the only rounding.
const PRICE_SCALE = 10_000;
const scaled = (usdPerMtok: number) => Math.round(usdPerMtok * PRICE_SCALE);
const tokens = (n: number | null | undefined) =>
  typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0;

export function costOfUsage(usage: TokenUsage, price: TokenPrice | null | undefined): UsageCost {
  if (!price) return { costUsd: 0, unpriced: true };
  const rates = ratesFor(usage, price);
  const units =
    tokens(usage.input_tokens) * scaled(rates.inputPerMtok) +
    tokens(usage.output_tokens) * scaled(rates.outputPerMtok) +
    tokens(usage.cache_creation_input_tokens) * scaled(rates.cacheWritePerMtok) +
    tokens(usage.cache_read_input_tokens) * scaled(rates.cacheReadPerMtok);
  return { costUsd: units / (1_000_000 * PRICE_SCALE), unpriced: false };
}

/** Adds costs: the sum is unpriced as soon as one part is. */
export function addCosts(a: UsageCost, b: UsageCost): UsageCost {
  return { costUsd: a.costUsd + b.costUsd, unpriced: a.unpriced || b.unpriced };
}
