"use client";

import { createContext, useActionState, useContext, useEffect, useState } from "react";
import { toast } from "sonner";
import type { FormState } from "@/lib/actions/form-state";
import { initialFormState } from "@/lib/actions/form-state";

export type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** A success to announce once the page shows it: the message, and the task status it must show first. */
interface Notice {
  message: string;
  status: string | null;
}

/** How long a toast waits for the page to show the status its action returned (then it says so anyway). */
const NOTICE_WAIT_MS = 3000;

/**
 * The toast says an action happened only once the page shows it. The notice is set inside the action's
 * transition, which React commits together with the refreshed page the action returned, so the effect
 * runs after the new status and comments are on screen; the status check covers a refresh that lands
 * later. It lives here, not in the form: the refreshed page may no longer render the form (an approved
 * task has no Approve button).
 */
export function useNoticeAfterRefresh(status: string) {
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => {
    if (!notice) return;
    const show = () => {
      toast.success(notice.message);
      setNotice(null);
    };
    if (!notice.status || notice.status === status) return show();
    const timer = setTimeout(show, NOTICE_WAIT_MS);
    return () => clearTimeout(timer);
  }, [notice, status]);
  return setNotice;
}

export const NoticeContext = createContext<(notice: Notice) => void>((notice) =>
  toast.success(notice.message),
);

export function ActionForm({
  action,
  taskId,
  runId,
  children,
  onDone,
  className,
}: {
  action: Action;
  taskId: string;
  /** The agent's branch the page shows (any run of it): the decision acts on it. */
  runId?: string | null;
  children: (state: FormState) => React.ReactNode;
  onDone?: () => void;
  className?: string;
}) {
  const announce = useContext(NoticeContext);
  const [state, formAction] = useActionState(async (previous: FormState, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) {
      const data = result.data as { status?: unknown } | undefined;
      if (result.message) {
        announce({ message: result.message, status: typeof data?.status === "string" ? data.status : null });
      }
      onDone?.();
    }
    return result;
  }, initialFormState);
  return (
    <form action={formAction} className={className}>
      <input type="hidden" name="taskId" value={taskId} />
      {runId ? <input type="hidden" name="runId" value={runId} /> : null}
      {children(state)}
    </form>
  );
}
