"use client";

import { Download, GitPullRequest, RotateCw, Send, Square } from "lucide-react";
import Link from "next/link";
import { useActionState, useRef } from "react";
import { toast } from "sonner";
import { cancelRunAction, runAgainAction, sendRunMessageAction } from "@/app/(dashboard)/runs/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Textarea } from "@/components/ui/input";
import { type FormState, initialFormState } from "@/lib/actions/form-state";

// A cancelled run ends over its stream, and the dialog goes with it, often before the answer arrives:
// the toast is raised when the answer comes, not by the (maybe unmounted) dialog.
async function cancelRun(previous: FormState, formData: FormData): Promise<FormState> {
  const state = await cancelRunAction(previous, formData);
  if (state.ok && state.message) toast.success(state.message);
  return { ...state, message: undefined };
}

/** Stops a run, after asking: what the agent committed so far stays on its branch. */
export function CancelRunButton({ runId, requested }: { runId: string; requested: boolean }) {
  if (requested)
    return (
      <Button variant="secondary" size="sm" disabled>
        <Square aria-hidden /> Cancel requested
      </Button>
    );
  return (
    <ConfirmDialog
      action={cancelRun}
      fields={{ runId }}
      placement="toolbar"
      trigger={
        <>
          <Square aria-hidden /> Cancel run
        </>
      }
      title="Cancel this run?"
      description="The agent stops at once and its command in flight is ended. What it committed so far stays on its branch; you can run the task again later."
      confirm="Cancel run"
      dismiss="Keep running"
      pendingText="Cancelling…"
    />
  );
}

/** A new run of the same task (same agent, same branch); the page moves to it. */
export function RunAgainButton({ runId, primary }: { runId: string; primary: boolean }) {
  const [state, action] = useActionState(runAgainAction, initialFormState);
  return (
    <form action={action} className="grid justify-items-end gap-1">
      <input type="hidden" name="runId" value={runId} />
      <SubmitButton size="sm" variant={primary ? "primary" : "secondary"} pendingText="Queuing…">
        <RotateCw aria-hidden /> Run again
      </SubmitButton>
      <div className="max-w-sm">
        <FormError state={state} />
      </div>
    </form>
  );
}

/** A finished run's next step is its review: the diff of this run's branch. */
export function ReviewChangesLink({ taskId, runId }: { taskId: string; runId: string }) {
  return (
    <Button asChild size="sm">
      <Link href={`/tasks/${taskId}/review?run=${runId}`}>
        <GitPullRequest aria-hidden /> Review changes
      </Link>
    </Button>
  );
}

/** Every event of the run as a JSON file, for replay and sharing. */
export function DownloadJsonLink({ runId }: { runId: string }) {
  return (
    <Button asChild variant="secondary" size="sm">
      <a href={`/api/runs/${runId}/export`} download>
        <Download aria-hidden /> Download JSON
      </a>
    </Button>
  );
}

/** Steering: a message the agent reads at its next turn. */
export function SendMessageForm({ runId }: { runId: string }) {
  const [state, action] = useActionState(sendRunMessageAction, initialFormState);
  const form = useRef<HTMLFormElement>(null);
  useSuccessToast(state, () => form.current?.reset());
  const error = state.fieldErrors?.text;
  return (
    <form ref={form} action={action} className="grid gap-2">
      <input type="hidden" name="runId" value={runId} />
      <label htmlFor="message-text" className="text-sm font-medium">
        Send a message to the agent
      </label>
      <Textarea
        id="message-text"
        name="text"
        defaultValue={state.ok ? "" : state.values?.text}
        placeholder="Also update the README…"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "message-text-error" : undefined}
        className="min-h-16 text-sm"
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey))
            event.currentTarget.form?.requestSubmit();
        }}
      />
      {error ? (
        <p id="message-text-error" role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
      <FormError state={state} />
      <div className="flex items-center gap-3">
        <SubmitButton size="sm" pendingText="Sending…">
          <Send aria-hidden /> Send message
        </SubmitButton>
        <span className="text-xs text-muted-foreground">
          ⌘/Ctrl + Enter. The agent reads it before its next step.
        </span>
      </div>
    </form>
  );
}
