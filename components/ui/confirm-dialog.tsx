"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import type { FormState } from "@/lib/actions/form-state";

/**
 * A destructive action behind a confirmation: the dialog stays open with the reason when it's refused,
 * and closes with a toast when it succeeds. `placement` picks the trigger: a quiet button in a table
 * row, or a secondary button in a page header.
 */
export function ConfirmDialog({
  action,
  fields,
  trigger,
  triggerLabel,
  placement = "row",
  title,
  description,
  confirm,
  dismiss = "Cancel",
  pendingText,
}: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  trigger: React.ReactNode;
  /** The trigger's accessible name, when its text alone doesn't say what it acts on. */
  triggerLabel?: string;
  /** row: a quiet button in a table row; header: a page header's; toolbar: a small secondary one. */
  placement?: "row" | "header" | "toolbar";
  title: string;
  description: React.ReactNode;
  confirm: string;
  /** The button that closes the dialog without acting ("Keep running" where "Cancel" would mislead). */
  dismiss?: string;
  pendingText: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant={placement === "row" ? "ghost" : "secondary"}
          size={placement === "header" ? undefined : "sm"}
          className="text-danger"
          aria-label={triggerLabel}
        >
          {trigger}
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={description}>
        <ConfirmForm
          action={action}
          fields={fields}
          confirm={confirm}
          dismiss={dismiss}
          pendingText={pendingText}
          onDone={() => setOpen(false)}
        />
      </DialogContent>
    </Dialog>
  );
}

function ConfirmForm({
  action,
  fields,
  confirm,
  dismiss,
  pendingText,
  onDone,
}: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  confirm: string;
  dismiss: string;
  pendingText: string;
  onDone: () => void;
}) {
  const [state, formAction] = useActionState(action, { ok: false });
  useSuccessToast(state, onDone);
  return (
    <form action={formAction} className="grid gap-4">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormError state={state} />
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button type="button" variant="secondary">
            {dismiss}
          </Button>
        </DialogClose>
        <SubmitButton variant="danger" pendingText={pendingText}>
          {confirm}
        </SubmitButton>
      </div>
    </form>
  );
}
