"use client";

import { Trash2 } from "lucide-react";
import { deleteModelPriceAction } from "@/app/(dashboard)/settings/models/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Asks before removing a model; a model an agent uses is refused, and the dialog says which agents. */
export function DeleteModelDialog({ model }: { model: string }) {
  return (
    <ConfirmDialog
      action={deleteModelPriceAction}
      fields={{ model }}
      trigger={
        <>
          <Trash2 aria-hidden /> Delete
        </>
      }
      triggerLabel={`Delete ${model}`}
      title={`Delete ${model}?`}
      description="Agents can no longer choose it, and runs on it would be unpriced. Past run costs are kept."
      confirm="Delete model"
      pendingText="Deleting…"
    />
  );
}
