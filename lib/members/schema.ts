import { z } from "zod";
import { ROLES } from "@/db/schema";

export const roleSchema = z.enum(ROLES, { error: "Choose a role: admin, developer or viewer." });

export const createInviteSchema = z.object({
  role: roleSchema,
  expiresInDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "An invite lasts at least 1 day.")
    .max(30, "An invite lasts at most 30 days.")
    .default(7),
});
export type CreateInviteInput = z.input<typeof createInviteSchema>;

const userId = z.uuid({ error: "Unknown member." });

export const changeRoleSchema = z.object({ userId, role: roleSchema });
export const removeMemberSchema = z.object({ userId });
export const revokeInviteSchema = z.object({ id: z.uuid({ error: "Unknown invite." }) });
