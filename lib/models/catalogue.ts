/**
 * Known list prices (USD per million tokens) seeded into every new team's catalogue; admins edit them
 * under Settings → Models. Cache write is the 5-minute write (the engine only writes 5-minute entries).
 *
 * Source, checked 2026-11-27: the model pages and the pricing page on platform.claude.com
 * (docs/en/about-claude/models/overview, models/<id>/overview, about-claude/pricing) and the Claude
 * Platform release notes. Two prices differ from a model page that was written before a change:
 * - Sonnet 5.5 cache reads were lowered from $0.20 to $0.10 per MTok on 2026-10-07 (release notes).
 * - Haiku 5.5 is priced by prompt length: the catalogue's long-prompt tier holds its second price.
 *
 * Left out on purpose: Claude Fable 5.2 (`claude-fable-5-2`, released 2026-11-09 at $8 / $40): the
 * release notes give its input and output price, but its cache prices are not in the docs we could
 * read, and a guessed price is worse than none: until an admin adds it, its runs are counted and
 * flagged "unpriced". Older models (Opus 4.6–4.8, Sonnet 4.6) are left out for the same reason: we
 * could not confirm their context windows.
 */
export const DEFAULT_MODEL_PRICES = [
  // The current lineup.
  {
    model: "claude-opus-5-5",
    inputPerMtok: 4,
    outputPerMtok: 20,
    cacheWritePerMtok: 5,
    cacheReadPerMtok: 0.2,
    contextWindow: 1_000_000,
  },
  {
    model: "claude-sonnet-5-5",
    inputPerMtok: 2,
    outputPerMtok: 10,
    cacheWritePerMtok: 2.5,
    cacheReadPerMtok: 0.1,
    contextWindow: 1_000_000,
  },
  // Haiku 5.5 is listed "From $0.10 / $0.50": a request whose prompt (input + cache reads + cache
  // writes) is up to 100,000 tokens pays $0.10 input / $0.50 output / $0.125 cache write / $0.01 cache
  // read; a longer prompt pays five times that on every token of the request, output included — the
  // catalogue's long-prompt tier (lib/engine/pricing.ts, ratesFor).
  {
    model: "claude-haiku-5-5",
    inputPerMtok: 0.1,
    outputPerMtok: 0.5,
    cacheWritePerMtok: 0.125,
    cacheReadPerMtok: 0.01,
    contextWindow: 1_000_000,
    longPromptAboveTokens: 100_000,
    longInputPerMtok: 0.5,
    longOutputPerMtok: 2.5,
    longCacheWritePerMtok: 0.625,
    longCacheReadPerMtok: 0.05,
  },
  {
    model: "claude-fable-5-1",
    inputPerMtok: 10,
    outputPerMtok: 50,
    cacheWritePerMtok: 12.5,
    cacheReadPerMtok: 0.25,
    contextWindow: 1_000_000,
  },
  // Legacy, still available.
  {
    model: "claude-opus-5",
    inputPerMtok: 5,
    outputPerMtok: 25,
    cacheWritePerMtok: 6.25,
    cacheReadPerMtok: 0.5,
    contextWindow: 1_000_000,
  },
  {
    model: "claude-sonnet-5",
    inputPerMtok: 2,
    outputPerMtok: 10,
    cacheWritePerMtok: 2.5,
    cacheReadPerMtok: 0.2,
    contextWindow: 1_000_000,
  },
  {
    model: "claude-fable-5",
    inputPerMtok: 10,
    outputPerMtok: 50,
    cacheWritePerMtok: 12.5,
    cacheReadPerMtok: 1,
    contextWindow: 1_000_000,
  },
  // The 4.5 models: existing agents, runs and metrics use them. claude-sonnet-4-5 retires on
  // 2026-11-30 (see ./lifecycle.ts); it stays priced so the runs it made keep their cost.
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

/**
 * Suggested for a new agent, in order: the first one in the team's catalogue wins. Sonnet first, as
 * before: the best combination of speed and intelligence for a coding agent at a moderate price.
 */
export const SUGGESTED_MODELS = [
  "claude-sonnet-5-5",
  "claude-opus-5-5",
  "claude-haiku-5-5",
  "claude-fable-5-1",
];
