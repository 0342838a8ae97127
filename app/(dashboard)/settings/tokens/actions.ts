"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { createTokenSchema, revokeTokenSchema } from "@/lib/tokens/schema";
import { createApiToken, revokeApiToken } from "@/lib/tokens/service";

const PATH = "/settings/tokens";

export const createTokenAction = authedAction(
  createTokenSchema,
  "tokens:own",
  async (input, actor) => {
    const { token, row } = await createApiToken(actor, input);
    revalidatePath(PATH);
    return { token, name: row.name };
  },
  "Token created",
);

export const revokeTokenAction = authedAction(
  revokeTokenSchema,
  "tokens:own",
  async (input, actor) => {
    await revokeApiToken(actor, input.id);
    revalidatePath(PATH);
  },
  "Token revoked",
);
