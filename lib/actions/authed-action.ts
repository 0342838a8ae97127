import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { type Actor, authorize, type Permission } from "@/lib/auth/permissions";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import type { FormState } from "./form-state";

/** FormData to a plain object: repeated keys become arrays; React's internal keys are dropped. */
export function formDataToObject(formData: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function echoValues(raw: Record<string, string | string[]>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    // Never echo a secret back into the page: passwords, secrets, tokens (but "…Tokens" counts are numbers).
    if (/password|secret|token(?!s)/i.test(key)) continue;
    values[key] = Array.isArray(value) ? value.join("\n") : value;
  }
  return values;
}

export function errorState(error: unknown, values?: Record<string, string>): FormState<never> {
  const at = Date.now();
  if (error instanceof z.ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of error.issues) {
      const key = String(issue.path[0] ?? "form");
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, error: "Please fix the highlighted fields.", fieldErrors, values, at };
  }
  if (error instanceof AppError) {
    // An error about one field is shown at that field only, not twice.
    return error.field
      ? { ok: false, fieldErrors: { [error.field]: error.message }, values, at }
      : { ok: false, error: error.message, values, at };
  }
  console.error(error);
  return {
    ok: false,
    error: "Something went wrong on the server. Nothing was changed; try again.",
    values,
    at,
  };
}

/**
 * The one wrapper for server actions: every exported action is a public POST endpoint, so this
 * loads the signed-in user, checks the permission, and validates the input before `fn` runs.
 */
export function authedAction<S extends z.ZodType, R>(
  schema: S,
  permission: Permission,
  fn: (input: z.output<S>, actor: Actor) => Promise<R>,
  success?: string | ((result: R) => string),
) {
  return async (_previous: FormState, formData: FormData): Promise<FormState<R>> => {
    const raw = formDataToObject(formData);
    const values = echoValues(raw);
    try {
      const actor = await currentActor();
      if (!actor) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
      authorize(actor, permission);
      const input = schema.parse(raw);
      const data = await fn(input, actor);
      const message = typeof success === "function" ? success(data) : success;
      return { ok: true, message, data, at: Date.now() };
    } catch (error) {
      unstable_rethrow(error);
      return errorState(error, values);
    }
  };
}
