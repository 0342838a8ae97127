import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { type Db, getDb, type Tx } from "@/db";
import { agents, type ModelPrice, modelPrices } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { parseInput } from "./parse";
import { type ModelPriceInput, modelNameSchema, modelPriceSchema } from "./schema";

/** The team's catalogue, alphabetically. */
export async function listModelPrices(actor: Actor): Promise<ModelPrice[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  return db
    .select()
    .from(modelPrices)
    .where(eq(modelPrices.teamId, actor.teamId))
    .orderBy(asc(modelPrices.model));
}

/**
 * The price row the engine uses for cost, or null: an unknown model is "unpriced", never priced
 * by a guess. No actor: the engine asks on behalf of a run that was already authorized.
 */
export async function priceFor(teamId: string, model: string, db?: Db | Tx): Promise<ModelPrice | null> {
  const handle = db ?? (await getDb());
  const [row] = await handle
    .select()
    .from(modelPrices)
    .where(and(eq(modelPrices.teamId, teamId), eq(modelPrices.model, model)));
  return row ?? null;
}

/**
 * Adds a model or changes its prices. With `createOnly` (the "Add model" dialog), an existing
 * model is a conflict instead of a silent overwrite.
 */
export async function upsertModelPrice(
  actor: Actor,
  raw: ModelPriceInput,
  options: { createOnly?: boolean } = {},
): Promise<ModelPrice> {
  authorize(actor, "models:manage");
  const input = parseInput(modelPriceSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(modelPrices)
      .where(and(eq(modelPrices.teamId, actor.teamId), eq(modelPrices.model, input.model)))
      .for("update");
    if (before && options.createOnly) {
      throw conflict(`${input.model} is already in the catalogue. Edit its row instead.`, "model");
    }
    const values = {
      inputPerMtok: input.inputPerMtok,
      outputPerMtok: input.outputPerMtok,
      cacheWritePerMtok: input.cacheWritePerMtok,
      cacheReadPerMtok: input.cacheReadPerMtok,
      contextWindow: input.contextWindow,
      longPromptAboveTokens: input.longPromptAboveTokens,
      longInputPerMtok: input.longInputPerMtok,
      longOutputPerMtok: input.longOutputPerMtok,
      longCacheWritePerMtok: input.longCacheWritePerMtok,
      longCacheReadPerMtok: input.longCacheReadPerMtok,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(modelPrices)
      .values({ teamId: actor.teamId, model: input.model, ...values })
      .onConflictDoUpdate({ target: [modelPrices.teamId, modelPrices.model], set: values })
      .returning();
    if (!row) throw new Error("model price upsert returned nothing");
    await recordAudit(
      tx,
      actor,
      before ? "model.updated" : "model.created",
      { type: "model", id: input.model },
      before ? { before: pricesOf(before), after: pricesOf(row) } : { after: pricesOf(row) },
    );
    return row;
  });
}

/** Removes a model from the catalogue; refused while an agent uses it. */
export async function deleteModelPrice(actor: Actor, rawModel: string): Promise<void> {
  authorize(actor, "models:manage");
  const model = parseInput(modelNameSchema, rawModel, "model");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(modelPrices)
      .where(and(eq(modelPrices.teamId, actor.teamId), eq(modelPrices.model, model)))
      .for("update");
    if (!row) throw notFound("Model");
    const users = await tx
      .select({ name: agents.name })
      .from(agents)
      .where(and(eq(agents.teamId, actor.teamId), eq(agents.model, model)))
      .orderBy(asc(agents.name));
    if (users.length > 0) {
      const names = users.map((a) => a.name);
      const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
      throw conflict(
        `${model} is used by ${names.length === 1 ? "the agent" : "the agents"} ${list}. ` +
          `Switch ${names.length === 1 ? "it" : "them"} to another model before deleting it.`,
        "model",
      );
    }
    await tx
      .delete(modelPrices)
      .where(and(eq(modelPrices.teamId, actor.teamId), eq(modelPrices.model, model)));
    await recordAudit(tx, actor, "model.deleted", { type: "model", id: model }, { before: pricesOf(row) });
  });
}

function pricesOf(row: ModelPrice) {
  return {
    inputPerMtok: row.inputPerMtok,
    outputPerMtok: row.outputPerMtok,
    cacheWritePerMtok: row.cacheWritePerMtok,
    cacheReadPerMtok: row.cacheReadPerMtok,
    contextWindow: row.contextWindow,
    ...(row.longPromptAboveTokens === null
      ? {}
      : {
          longPromptAboveTokens: row.longPromptAboveTokens,
          longInputPerMtok: row.longInputPerMtok,
          longOutputPerMtok: row.longOutputPerMtok,
          longCacheWritePerMtok: row.longCacheWritePerMtok,
          longCacheReadPerMtok: row.longCacheReadPerMtok,
        }),
  };
}
