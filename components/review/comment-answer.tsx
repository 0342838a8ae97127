import { Bot, History } from "lucide-react";
import Link from "next/link";
import { Markdown } from "@/components/ui/markdown";
import { RunStatusBadge } from "@/components/ui/status-badge";

export interface CommentAnswerView {
  runId: string;
  status: string;
  outcome: string | null;
  summary: string | null;
  finishedAt: Date | null;
}

/**
 * The agent's answer under a comment: the summary of the follow-up run the comment was sent to (the
 * prompt asks it to say what it changed for each comment), with a link to that run.
 */
export function CommentAnswer({ answer }: { answer: CommentAnswerView }) {
  return (
    <div className="mt-2 border-l-2 border-l-violet-400/60 pl-3" data-testid="comment-answer">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <Bot className="size-3.5 text-muted-foreground" aria-hidden />
        <span className="font-medium">Agent's answer</span>
        <RunStatusBadge status={answer.status} outcome={answer.outcome} />
        <Link href={`/runs/${answer.runId}`} className="text-accent hover:underline">
          Follow-up run
        </Link>
      </div>
      {answer.summary ? (
        <div className="mt-1 max-h-48 overflow-y-auto break-words text-sm">
          <Markdown source={answer.summary} />
        </div>
      ) : (
        <p className="mt-1 text-xs text-muted-foreground">
          {answer.finishedAt
            ? "The run ended without a summary. Its timeline shows what it did."
            : "The agent is working on this comment; its summary appears here when the run ends."}
        </p>
      )}
    </div>
  );
}

/** The code an outdated comment was written against: its lines are gone from the branch now. */
export function OriginalContext({ context }: { context: string | null }) {
  if (!context) return null;
  return (
    <details className="mt-1.5" open>
      <summary className="flex cursor-pointer items-center gap-1 text-xs text-muted-foreground">
        <History className="size-3" aria-hidden /> The code it was written on
      </summary>
      <pre
        className="mt-1 max-w-full overflow-x-auto rounded bg-muted p-2 font-mono text-[11px] leading-snug"
        data-testid="original-context"
      >
        {context}
      </pre>
    </details>
  );
}
