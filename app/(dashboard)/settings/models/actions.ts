"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { modelPriceSchema, modelRefSchema } from "@/lib/models/schema";
import { deleteModelPrice, upsertModelPrice } from "@/lib/models/service";

export const createModelPriceAction = authedAction(
  modelPriceSchema,
  "models:manage",
  async (input, actor) => {
    const row = await upsertModelPrice(actor, input, { createOnly: true });
    revalidatePath("/settings/models");
    return { model: row.model };
  },
  (result) => `${result.model} added to the catalogue.`,
);

export const updateModelPriceAction = authedAction(
  modelPriceSchema,
  "models:manage",
  async (input, actor) => {
    const row = await upsertModelPrice(actor, input);
    revalidatePath("/settings/models");
    return { model: row.model };
  },
  (result) => `Prices for ${result.model} saved.`,
);

export const deleteModelPriceAction = authedAction(
  modelRefSchema,
  "models:manage",
  async ({ model }, actor) => {
    await deleteModelPrice(actor, model);
    revalidatePath("/settings/models");
    return { model };
  },
  (result) => `${result.model} removed from the catalogue.`,
);
