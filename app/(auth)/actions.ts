"use server";

import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { z } from "zod";
import { errorState, submittedForm } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/actions/form-state";
import { signIn } from "@/lib/auth/config";
import { attemptKeys, clientAddress, throttled } from "@/lib/auth/throttle";
import { signUp, signUpSchema } from "@/lib/teams/onboarding";

/** Only same-site paths, so a crafted link can't bounce people to another site after sign-in. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/board";
}

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email."),
  password: z.string().min(1, "Enter your password."),
});

export async function signInAction(previous: FormState, submitted: FormData): Promise<FormState> {
  const formData = submittedForm(previous, submitted);
  const values = { email: String(formData.get("email") ?? "") };
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return errorState(parsed.error, values);
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeNext(formData.get("next")) });
    return { ok: true };
  } catch (error) {
    if (error instanceof AuthError) {
      return { ok: false, error: "Wrong email or password.", values, at: Date.now() };
    }
    throw error;
  }
}

export async function signUpAction(previous: FormState, submitted: FormData): Promise<FormState> {
  const formData = submittedForm(previous, submitted);
  const raw = {
    name: formData.get("name") ?? "",
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    teamName: formData.get("teamName") ?? undefined,
    invite: formData.get("invite") ?? undefined,
  };
  const values = {
    name: String(raw.name),
    email: String(raw.email),
    teamName: String(raw.teamName ?? ""),
  };
  try {
    const input = signUpSchema.parse(raw);
    // Per address only: the email of a sign-up is the one being created, not one being guessed at.
    const keys = attemptKeys({ address: clientAddress(await headers()) });
    await throttled(keys, () => signUp(input));
    await signIn("credentials", { email: input.email, password: input.password, redirectTo: "/board" });
    return { ok: true };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (error instanceof Error && "digest" in error) throw error; // Next's redirect
    return errorState(error, values);
  }
}
