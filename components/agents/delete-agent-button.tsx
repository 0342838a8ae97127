"use client";

import { Trash2 } from "lucide-react";
import { deleteAgentAction } from "@/app/(dashboard)/agents/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Deleting asks first; a refusal (tasks still refer to the agent) shows in the dialog. */
export function DeleteAgentButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmDialog
      action={deleteAgentAction}
      fields={{ id }}
      placement="header"
      trigger={
        <>
          <Trash2 aria-hidden /> Delete agent
        </>
      }
      title={`Delete ${name}?`}
      description="The profile is removed for the whole team. Agents that tasks refer to can't be deleted."
      confirm="Delete agent"
      pendingText="Deleting…"
    />
  );
}
