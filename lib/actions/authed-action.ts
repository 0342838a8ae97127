import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { type Actor, authorize, type Permission } from "@/lib/auth/permissions";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { STORABLE_TEXT_MESSAGE, unstorableText } from "@/lib/storable-text";
import type { FormState } from "./form-state";

/**
 * The submitted form. useActionState calls an action with (state, formData), but a form posted without
 * JavaScript that names the action directly ($ACTION_ID_…) calls it with the form alone, and a hostile
 * post can send anything: never let that become a TypeError (a 500).
 */
export function submittedForm(previous: unknown, formData: unknown): FormData {
  if (formData instanceof FormData) return formData;
  if (previous instanceof FormData) return previous;
  return new FormData();
}

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
 * Fields holding text the database can't store (NUL, unpaired surrogates): refused at the field for
 * every form, before any schema or service sees them, so no action can fail on them in the database.
 */
function unstorableFields(raw: Record<string, string | string[]>): Record<string, string> | null {
  const fieldErrors: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    if (unstorableText(key) || values.some((v) => unstorableText(v))) {
      fieldErrors[unstorableText(key) ? "form" : key] = STORABLE_TEXT_MESSAGE;
    }
  }
  return Object.keys(fieldErrors).length > 0 ? fieldErrors : null;
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
  return async (previous: FormState, formData: FormData): Promise<FormState<R>> => {
    const raw = formDataToObject(submittedForm(previous, formData));
    const values = echoValues(raw);
    try {
      const actor = await currentActor();
      if (!actor) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
      authorize(actor, permission);
      const unstorable = unstorableFields(raw);
      if (unstorable) {
        const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !unstorable[key]));
        return {
          ok: false,
          error: "Please fix the highlighted fields.",
          fieldErrors: unstorable,
          values: kept,
          at: Date.now(),
        };
      }
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
