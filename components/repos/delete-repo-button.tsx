"use client";

import { Trash2 } from "lucide-react";
import { useActionState } from "react";
import { deleteRepoAction } from "@/app/(dashboard)/repos/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** Deleting asks first; a refusal (tasks still use the repository) is shown inside the dialog. */
export function DeleteRepoButton({ id, name }: { id: string; name: string }) {
  const [state, action] = useActionState(deleteRepoAction, initialFormState);
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="secondary" className="text-danger">
          <Trash2 aria-hidden /> Delete repository
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Delete ${name}?`}
        description="Foreman forgets this repository. The repository itself, its branches and its commits are not touched."
      >
        <form action={action} className="grid gap-4">
          <input type="hidden" name="id" value={id} />
          <FormError state={state} />
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <SubmitButton variant="danger" pendingText="Deleting…">
              Delete
            </SubmitButton>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
