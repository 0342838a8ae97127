"use client";

import { Scale } from "lucide-react";
import { useActionState } from "react";
import { askJudgeAction } from "@/app/(dashboard)/tasks/[id]/compare/actions";
import { FormError, SubmitButton, toastingAction } from "@/components/ui/form-feedback";
import { Select } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

/** Chooses the agent that judges the attempts, and asks it. */
export function AskJudgeForm({
  taskId,
  agents,
  again,
  disabledReason,
}: {
  taskId: string;
  agents: { id: string; name: string; model: string }[];
  /** A judge was asked before: the button says "Ask again". */
  again: boolean;
  disabledReason: string | null;
}) {
  // The form goes away with the page's refresh while the judge works: the action toasts itself.
  const [state, formAction] = useActionState(toastingAction(askJudgeAction), initialFormState);
  return (
    <form action={formAction} className="grid gap-2">
      <input type="hidden" name="taskId" value={taskId} />
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="judge-agent" className="text-sm font-medium">
          Judge
        </label>
        <Select
          id="judge-agent"
          name="agentId"
          className="w-auto min-w-48"
          defaultValue={state.values?.agentId ?? agents[0]?.id}
          disabled={disabledReason !== null}
          aria-invalid={state.fieldErrors?.agentId ? true : undefined}
        >
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name} · {agent.model}
            </option>
          ))}
        </Select>
        <SubmitButton
          size="sm"
          variant="secondary"
          pendingText="Asking…"
          disabled={disabledReason !== null || agents.length === 0}
          title={disabledReason ?? undefined}
        >
          <Scale aria-hidden /> {again ? "Ask again" : "Rank the attempts"}
        </SubmitButton>
      </div>
      {disabledReason ? <p className="text-xs text-muted-foreground">{disabledReason}</p> : null}
      <FormError state={state} />
    </form>
  );
}
