import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { AppError, badRequest } from "@/lib/errors";
import { passwordSchema } from "@/lib/teams/onboarding";
import { hashPassword, verifyPassword } from "./password";
import type { Actor } from "./permissions";
import { endSessions } from "./sessions";
import { attemptKeys, clearFailures, isThrottled, recordFailure } from "./throttle";

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(200),
    // The sign-up's rules, so every password Foreman stores passed the same check.
    newPassword: passwordSchema,
    confirmPassword: z.string().max(200),
  })
  .refine((input) => input.newPassword === input.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords don't match.",
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from your current one.",
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** True when the person signs in with a password (false: GitHub only). */
export async function hasPassword(userId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return Boolean(row?.hash);
}

/**
 * Changes the actor's own password. The current password is checked under the sign-in throttle (a
 * stolen session must not become a way to guess it), and every session of the person ends, this one
 * too: whoever held a copy of a session cookie is out, and the person signs in with the new password.
 */
export async function changePassword(
  actor: Actor,
  raw: ChangePasswordInput,
  address: string | null = null,
): Promise<void> {
  const input = changePasswordSchema.parse(raw);
  const keys = attemptKeys({ email: actor.email, address });
  if (await isThrottled(keys)) {
    throw new AppError("rate_limited", "Too many wrong passwords. Wait a few minutes and try again.");
  }
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.passwordHash) {
    throw badRequest("Your account signs in through GitHub; it has no password to change.");
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await recordFailure(keys);
    throw badRequest("That isn't your current password.", "currentPassword");
  }
  await clearFailures(user.email);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await endSessions(user.id, tx);
    await recordAudit(tx, actor, "user.password_changed", { type: "user", id: user.id });
  });
}
