"use client";

import { useRouter } from "next/navigation";
import { createContext, useActionState, useCallback, useContext, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { FormState } from "@/lib/actions/form-state";
import { initialFormState } from "@/lib/actions/form-state";

export type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** A success to announce once the page shows it: the message, and the task status it must show first. */
interface Notice {
  message: string;
  status: string | null;
}

/** How long a toast waits for the page to show its action's result (then it says so anyway). */
const NOTICE_WAIT_MS = 10_000;

/**
 * The toast says an action happened only once the page shows it. The notice is set inside the action's
 * transition, which React commits together with the refreshed page the action returned; when that page
 * doesn't show the status the action returned yet (the task status it had before is still on screen),
 * the page is fetched again and the toast waits for it. It lives here, not in the form: the refreshed page
 * may no longer render the form (an approved task has no Approve button).
 */
export function useNoticeAfterRefresh(status: string) {
  const router = useRouter();
  const [notice, setNotice] = useState<(Notice & { from: string }) | null>(null);
  // The status on screen when the action answered: until it changes, the page is stale.
  const shown = useRef(status);
  shown.current = status;
  useEffect(() => {
    if (!notice) return;
    const show = () => {
      toast.success(notice.message);
      setNotice(null);
    };
    if (!notice.status || notice.status === status || status !== notice.from) return show();
    router.refresh();
    const timer = setTimeout(show, NOTICE_WAIT_MS);
    return () => clearTimeout(timer);
  }, [notice, status, router]);
  return useCallback((next: Notice) => setNotice({ ...next, from: shown.current }), []);
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
