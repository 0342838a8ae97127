import {
  Ban,
  CircleCheck,
  CircleDashed,
  CircleSlash,
  CircleX,
  Eye,
  GitMerge,
  Hand,
  Loader2,
  type LucideIcon,
  MessageCircleQuestionMark,
  OctagonX,
  RotateCcw,
  ThumbsUp,
  TriangleAlert,
} from "lucide-react";
import type { RunOutcome, RunStatus } from "@/db/schema/run-statuses";
import type { TaskStatus } from "@/db/schema/tasks";
import { cn } from "@/lib/utils";

/** The one status vocabulary: each kind of state has one colour and one icon, on every page. */
type Tone = "queued" | "running" | "human" | "review" | "done" | "failed" | "cancelled";

const TONES: Record<Tone, string> = {
  queued: "bg-muted text-muted-foreground",
  running: "bg-blue-500/12 text-blue-700 dark:text-blue-300",
  human: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
  review: "bg-violet-500/12 text-violet-700 dark:text-violet-300",
  done: "bg-emerald-500/12 text-emerald-700 dark:text-emerald-300",
  failed: "bg-red-500/12 text-red-700 dark:text-red-300",
  cancelled: "bg-muted text-muted-foreground line-through",
};

const ICON_TONES: Record<Tone, string> = {
  queued: "text-muted-foreground",
  running: "text-blue-600 dark:text-blue-300",
  human: "text-amber-600 dark:text-amber-300",
  review: "text-violet-600 dark:text-violet-300",
  done: "text-emerald-600 dark:text-emerald-300",
  failed: "text-red-600 dark:text-red-300",
  cancelled: "text-muted-foreground",
};

interface StatusLook {
  label: string;
  tone: Tone;
  icon: LucideIcon;
  spin?: boolean;
}

const TASK: Record<TaskStatus, StatusLook> = {
  queued: { label: "Queued", tone: "queued", icon: CircleDashed },
  running: { label: "Running", tone: "running", icon: Loader2, spin: true },
  needs_human: { label: "Needs a human", tone: "human", icon: Hand },
  in_review: { label: "In review", tone: "review", icon: Eye },
  changes_requested: { label: "Changes requested", tone: "human", icon: RotateCcw },
  approved: { label: "Approved", tone: "review", icon: ThumbsUp },
  conflict: { label: "Conflict", tone: "human", icon: TriangleAlert },
  merged: { label: "Merged", tone: "done", icon: GitMerge },
  failed: { label: "Failed", tone: "failed", icon: CircleX },
  cancelled: { label: "Cancelled", tone: "cancelled", icon: Ban },
  discarded: { label: "Discarded", tone: "cancelled", icon: Ban },
};

const RUN: Record<RunStatus, StatusLook> = {
  queued: { label: "Queued", tone: "queued", icon: CircleDashed },
  running: { label: "Running", tone: "running", icon: Loader2, spin: true },
  waiting_approval: { label: "Waiting for approval", tone: "human", icon: Hand },
  verifying: { label: "Verifying", tone: "review", icon: Loader2, spin: true },
  succeeded: { label: "Succeeded", tone: "done", icon: CircleCheck },
  failed: { label: "Failed", tone: "failed", icon: CircleX },
  cancelled: { label: "Cancelled", tone: "cancelled", icon: Ban },
};

/**
 * A finished run shows what it brought instead of "Succeeded": only changes ready are green; changes whose
 * tests failed, no changes, blocked and a question are amber (a person looks next). Failed runs keep their
 * status (failed or cancelled).
 */
const OUTCOME: Record<Exclude<RunOutcome, "failed">, StatusLook> = {
  changes_ready: { label: "Changes ready", tone: "done", icon: CircleCheck },
  verification_failed: { label: "Changes, tests failed", tone: "human", icon: TriangleAlert },
  no_changes: { label: "No changes", tone: "human", icon: CircleSlash },
  blocked: { label: "Blocked", tone: "human", icon: OctagonX },
  needs_input: { label: "Needs input", tone: "human", icon: MessageCircleQuestionMark },
};

function StatusBadge({ look, className }: { look: StatusLook; className?: string }) {
  const Icon = look.icon;
  return (
    <span
      data-testid="status-badge"
      className={cn(
        "inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium",
        TONES[look.tone],
        className,
      )}
    >
      <Icon className={cn("size-3.5 shrink-0", look.spin && "animate-spin")} aria-hidden />
      {look.label}
    </span>
  );
}

export function TaskStatusBadge({ status, className }: { status: TaskStatus; className?: string }) {
  return <StatusBadge look={TASK[status] ?? TASK.queued} className={className} />;
}

/** The status's icon alone, in its colour (e.g. a board column's header); the label is the caller's. */
export function TaskStatusIcon({ status, className }: { status: TaskStatus; className?: string }) {
  const look = TASK[status] ?? TASK.queued;
  const Icon = look.icon;
  return <Icon className={cn("size-3.5 shrink-0", ICON_TONES[look.tone], className)} aria-hidden />;
}

export function RunStatusBadge({
  status,
  outcome,
  className,
}: {
  status: RunStatus | string;
  /** The finished run's outcome; shown instead of its status (except failed, which keeps the status). */
  outcome?: RunOutcome | string | null;
  className?: string;
}) {
  const look =
    (outcome && outcome !== "failed" ? OUTCOME[outcome as keyof typeof OUTCOME] : undefined) ??
    RUN[status as RunStatus] ??
    RUN.queued;
  return <StatusBadge look={look} className={className} />;
}
