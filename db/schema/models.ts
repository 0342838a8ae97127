import { sql } from "drizzle-orm";
import { check, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams } from "./teams";

const usdPerMtok = () => numeric({ precision: 12, scale: 4, mode: "number" }).notNull();
const optionalUsdPerMtok = () => numeric({ precision: 12, scale: 4, mode: "number" });

/** The price catalogue: USD per million tokens, per team so admins can edit it. */
export const modelPrices = pgTable(
  "model_prices",
  {
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    model: text().notNull(),
    inputPerMtok: usdPerMtok(),
    outputPerMtok: usdPerMtok(),
    cacheWritePerMtok: usdPerMtok(),
    cacheReadPerMtok: usdPerMtok(),
    contextWindow: integer().notNull().default(200000),
    /**
     * Long-prompt tier (optional): a request whose prompt — input, cache write and cache read tokens — is
     * over this many tokens is priced entirely (output included) at the long_* prices. All five or none.
     */
    longPromptAboveTokens: integer(),
    longInputPerMtok: optionalUsdPerMtok(),
    longOutputPerMtok: optionalUsdPerMtok(),
    longCacheWritePerMtok: optionalUsdPerMtok(),
    longCacheReadPerMtok: optionalUsdPerMtok(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.model] }),
    check(
      "model_prices_long_prompt_tier_whole",
      sql`num_nulls(${t.longPromptAboveTokens}, ${t.longInputPerMtok}, ${t.longOutputPerMtok}, ${t.longCacheWritePerMtok}, ${t.longCacheReadPerMtok}) in (0, 5)`,
    ),
  ],
);

export type ModelPrice = typeof modelPrices.$inferSelect;
