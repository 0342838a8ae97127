"use client";

import { useActionState } from "react";
import { setReviewerAction } from "@/app/(dashboard)/tasks/[id]/review/actions";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Select } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

export interface ReviewerChoice {
  id: string;
  name: string;
}

/** Who reviews the task: they find it in their inbox. Changing it is audited. */
export function ReviewerForm({
  taskId,
  current,
  choices,
}: {
  taskId: string;
  current: string | null;
  choices: ReviewerChoice[];
}) {
  const [state, action] = useActionState(setReviewerAction, initialFormState);
  useSuccessToast(state);
  return (
    <form action={action} className="grid gap-1.5" aria-label="Reviewer">
      <input type="hidden" name="taskId" value={taskId} />
      <div className="flex items-center gap-2">
        <Select
          name="reviewerId"
          aria-label="Reviewer"
          key={current ?? ""}
          defaultValue={current ?? ""}
          className="h-8 min-w-0 flex-1 text-sm"
        >
          <option value="">Nobody yet</option>
          {choices.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {choice.name}
            </option>
          ))}
        </Select>
        <SubmitButton variant="secondary" pendingText="Saving…">
          Save
        </SubmitButton>
      </div>
      <FormError state={state} />
    </form>
  );
}
