"use client";

import { CircleAlert, Loader2 } from "lucide-react";
import { useEffect } from "react";
import { useFormStatus } from "react-dom";
import { toast } from "sonner";
import type { FormState } from "@/lib/actions/form-state";
import { Button, type ButtonProps } from "./button";

/** The form-wide error, shown above the submit button. */
export function FormError({ state }: { state: FormState }) {
  if (state.ok || !state.error) return null;
  return (
    <div
      role="alert"
      className="flex items-start gap-2 rounded-md border border-danger/30 bg-danger-muted px-3 py-2 text-sm text-danger"
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>{state.error}</span>
    </div>
  );
}

/**
 * An action that toasts its own success message, for forms that live updates may remove before the
 * answer arrives (an approval decided, a run cancelled): an effect in the form would never run then.
 */
export function toastingAction<R>(
  action: (previous: FormState, formData: FormData) => Promise<FormState<R>>,
) {
  return async (previous: FormState, formData: FormData): Promise<FormState<R>> => {
    const state = await action(previous, formData);
    if (state.ok && state.message) toast.success(state.message);
    return state;
  };
}

/** Toasts the success message of each submission once. */
export function useSuccessToast(state: FormState, onSuccess?: () => void) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per submission, keyed by `at`
  useEffect(() => {
    if (state.ok && state.at) {
      if (state.message) toast.success(state.message);
      onSuccess?.();
    }
  }, [state.at]);
}

export function SubmitButton({ children, pendingText, ...props }: ButtonProps & { pendingText?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" {...props} disabled={pending || props.disabled} aria-busy={pending}>
      {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
      {pending && pendingText ? pendingText : children}
    </Button>
  );
}
