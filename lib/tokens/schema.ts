import { z } from "zod";

export const createTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name, e.g. the script that uses it.")
    .max(80, "At most 80 characters."),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({ id: z.uuid({ error: "Unknown token." }) });

/** Tokens start with this, so secret scanners and people can recognise one. */
export const TOKEN_PREFIX = "fm_";
/** How much of a token lists show: enough to tell tokens apart, far too little to use one. */
export const VISIBLE_PREFIX_LENGTH = 10;
