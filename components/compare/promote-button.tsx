"use client";

import { Trophy } from "lucide-react";
import { useActionState, useState } from "react";
import { promoteAction } from "@/app/(dashboard)/tasks/[id]/compare/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormError, SubmitButton, toastingAction } from "@/components/ui/form-feedback";
import { initialFormState } from "@/lib/actions/form-state";

/** Promotes one attempt after a confirmation: the others' branches are deleted, which can't be undone. */
export function PromoteButton({
  taskId,
  runId,
  label,
  others,
  disabledReason,
}: {
  taskId: string;
  runId: string;
  /** "Attempt 2 (Gemini)" */
  label: string;
  others: string[];
  disabledReason: string | null;
}) {
  const [open, setOpen] = useState(false);
  // The button goes away with the page's refresh once the attempt is promoted: the action toasts itself.
  const [state, formAction] = useActionState(toastingAction(promoteAction), initialFormState);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          size="sm"
          variant="secondary"
          disabled={disabledReason !== null}
          title={disabledReason ?? undefined}
          aria-label={`Promote ${label}`}
        >
          <Trophy aria-hidden /> Promote
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Promote ${label}?`}
        description={
          <>
            The other {others.length === 1 ? "attempt is" : "attempts are"} closed and{" "}
            {others.length === 1 ? "its branch" : "their branches"} deleted:{" "}
            <span className="font-mono text-xs">{others.join(", ")}</span>. The promoted attempt is then
            reviewed, approved and merged as usual.
          </>
        }
      >
        <form action={formAction} className="grid gap-4">
          <input type="hidden" name="taskId" value={taskId} />
          <input type="hidden" name="runId" value={runId} />
          <FormError state={state} />
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <SubmitButton pendingText="Promoting…">Promote and close the others</SubmitButton>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
