"use client";

import { Trash2 } from "lucide-react";
import { useActionState, useState } from "react";
import { deleteModelPriceAction } from "@/app/(dashboard)/settings/models/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** Asks before removing a model; a model an agent uses is refused, and the dialog says which agents. */
export function DeleteModelDialog({ model }: { model: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" className="text-danger" aria-label={`Delete ${model}`}>
          <Trash2 aria-hidden /> Delete
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Delete ${model}?`}
        description="Agents can no longer choose it, and runs on it would be unpriced. Past run costs are kept."
      >
        <DeleteModelForm model={model} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function DeleteModelForm({ model, onDone }: { model: string; onDone: () => void }) {
  const [state, action] = useActionState(deleteModelPriceAction, initialFormState);
  useSuccessToast(state, onDone);
  return (
    <form action={action} className="grid gap-4">
      <input type="hidden" name="model" value={model} />
      <FormError state={state} />
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button type="button" variant="secondary">
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton variant="danger" pendingText="Deleting…">
          Delete model
        </SubmitButton>
      </div>
    </form>
  );
}
