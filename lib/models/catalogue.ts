/** Known list prices (USD per million tokens) seeded into every new team's catalogue. */
export const DEFAULT_MODEL_PRICES = [
  {
    model: "claude-sonnet-4-5",
    inputPerMtok: 3,
    outputPerMtok: 15,
    cacheWritePerMtok: 3.75,
    cacheReadPerMtok: 0.3,
    contextWindow: 200_000,
  },
  {
    model: "claude-opus-4-5",
    inputPerMtok: 5,
    outputPerMtok: 25,
    cacheWritePerMtok: 6.25,
    cacheReadPerMtok: 0.5,
    contextWindow: 200_000,
  },
  {
    model: "claude-haiku-4-5",
    inputPerMtok: 1,
    outputPerMtok: 5,
    cacheWritePerMtok: 1.25,
    cacheReadPerMtok: 0.1,
    contextWindow: 200_000,
  },
] as const;
