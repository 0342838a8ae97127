"use client";

import { Trash2 } from "lucide-react";
import { deleteRepoAction } from "@/app/(dashboard)/repos/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Deleting asks first; a refusal (tasks still use the repository) is shown inside the dialog. */
export function DeleteRepoButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmDialog
      action={deleteRepoAction}
      fields={{ id }}
      placement="header"
      trigger={
        <>
          <Trash2 aria-hidden /> Delete repository
        </>
      }
      title={`Delete ${name}?`}
      description="Foreman forgets this repository. The repository itself, its branches and its commits are not touched."
      confirm="Delete"
      pendingText="Deleting…"
    />
  );
}
