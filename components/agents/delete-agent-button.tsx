"use client";

import { Trash2 } from "lucide-react";
import { useActionState } from "react";
import { deleteAgentAction } from "@/app/(dashboard)/agents/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** Deleting asks first; a refusal (tasks still refer to the agent) shows in the dialog. */
export function DeleteAgentButton({ id, name }: { id: string; name: string }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="secondary" className="text-danger">
          <Trash2 aria-hidden /> Delete agent
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Delete ${name}?`}
        description="The profile is removed for the whole team. Agents that tasks refer to can't be deleted."
      >
        <DeleteAgentForm id={id} />
      </DialogContent>
    </Dialog>
  );
}

function DeleteAgentForm({ id }: { id: string }) {
  const [state, action] = useActionState(deleteAgentAction, initialFormState);
  return (
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
          Delete agent
        </SubmitButton>
      </div>
    </form>
  );
}
