"use client";

import { Hand } from "lucide-react";
import { useActionState } from "react";
import { answerAction } from "@/app/(dashboard)/tasks/[id]/review/actions";
import { FormError, SubmitButton, toastingAction } from "@/components/ui/form-feedback";
import { Textarea } from "@/components/ui/input";
import { Markdown } from "@/components/ui/markdown";
import { initialFormState } from "@/lib/actions/form-state";
import { type WaitingRun, waitingLabel } from "@/lib/tasks/waiting-runs";

function AnswerForm({ taskId, run }: { taskId: string; run: WaitingRun }) {
  const [state, formAction] = useActionState(toastingAction(answerAction), initialFormState);
  const question = run.outcome === "needs_input";
  return (
    <form action={formAction} className="mt-2 grid gap-2" data-testid="answer-form">
      <input type="hidden" name="taskId" value={taskId} />
      <input type="hidden" name="runId" value={run.id} />
      <label htmlFor={`answer-${run.id}`} className="sr-only">
        Your answer
      </label>
      <Textarea
        id={`answer-${run.id}`}
        name="answer"
        required
        defaultValue={state.values?.answer}
        placeholder={question ? "Your answer" : "Tell the agent how to go on"}
        className="text-sm"
      />
      {state.fieldErrors?.answer ? <p className="text-xs text-danger">{state.fieldErrors.answer}</p> : null}
      <FormError state={state} />
      <div>
        <SubmitButton variant="secondary" pendingText="Sending…">
          {question ? "Answer the agent" : "Send to the agent"}
        </SubmitButton>
      </div>
    </form>
  );
}

/**
 * Why the task needs a human — the agent's question, why it is blocked, or that its run changed nothing —
 * and, for those who may review, a form whose answer goes back to the agent on the same branch.
 */
export function NeedsHumanPanel({
  taskId,
  runs,
  canAnswer,
}: {
  taskId: string;
  runs: WaitingRun[];
  canAnswer: boolean;
}) {
  if (runs.length === 0) return null;
  return (
    <section
      className="mb-5 grid gap-3 rounded-lg border border-amber-500/30 bg-amber-500/8 px-4 py-3 text-sm"
      data-testid="needs-human"
    >
      {runs.map((run) => (
        <div key={run.id}>
          <p className="flex items-center gap-1.5 font-medium text-amber-800 dark:text-amber-200">
            <Hand className="size-4" aria-hidden /> {waitingLabel(run) ?? "Needs a human"}
            {runs.length > 1 ? <span className="font-mono text-xs font-normal">{run.branch}</span> : null}
          </p>
          {run.outcomeReason ? (
            // The agent's own words are in it: Markdown, rendered as React elements (never as HTML).
            <div className="mt-1 break-words" data-testid="needs-human-reason">
              <Markdown source={run.outcomeReason} />
            </div>
          ) : null}
          {canAnswer ? <AnswerForm taskId={taskId} run={run} /> : null}
        </div>
      ))}
    </section>
  );
}
