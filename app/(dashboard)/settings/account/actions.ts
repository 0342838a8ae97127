"use server";

import { headers } from "next/headers";
import { errorState, formDataToObject, submittedForm } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/actions/form-state";
import { changePassword } from "@/lib/auth/change-password";
import { signOut } from "@/lib/auth/config";
import { currentActor } from "@/lib/auth/session";
import { clientAddress } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";

/**
 * Not authedAction: on success this session has ended with all the others, so the action clears the
 * cookie and sends the person to sign in with the new password instead of returning form state.
 * Any role may change their own password.
 */
export async function changePasswordAction(previous: FormState, formData: FormData): Promise<FormState> {
  const raw = formDataToObject(submittedForm(previous, formData));
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
    await changePassword(
      actor,
      {
        currentPassword: String(raw.currentPassword ?? ""),
        newPassword: String(raw.newPassword ?? ""),
        confirmPassword: String(raw.confirmPassword ?? ""),
      },
      clientAddress(await headers()),
    );
  } catch (error) {
    return errorState(error);
  }
  await signOut({ redirectTo: "/sign-in?notice=password-changed" });
  return { ok: true };
}
