import { integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams } from "./teams";

const usdPerMtok = () => numeric({ precision: 12, scale: 4, mode: "number" }).notNull();

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
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.model] })],
);

export type ModelPrice = typeof modelPrices.$inferSelect;
