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

/** USD per million tokens (a catalogue row fits). */
export type TokenPrice = Pick<
  ModelPrice,
  "inputPerMtok" | "outputPerMtok" | "cacheWritePerMtok" | "cacheReadPerMtok"
>;

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
  const units =
    tokens(usage.input_tokens) * scaled(price.inputPerMtok) +
    tokens(usage.output_tokens) * scaled(price.outputPerMtok) +
    tokens(usage.cache_creation_input_tokens) * scaled(price.cacheWritePerMtok) +
    tokens(usage.cache_read_input_tokens) * scaled(price.cacheReadPerMtok);
  return { costUsd: units / (1_000_000 * PRICE_SCALE), unpriced: false };
}

/** Adds costs: the sum is unpriced as soon as one part is. */
export function addCosts(a: UsageCost, b: UsageCost): UsageCost {
  return { costUsd: a.costUsd + b.costUsd, unpriced: a.unpriced || b.unpriced };
}
