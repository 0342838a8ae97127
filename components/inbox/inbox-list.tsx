"use client";

import { useQuery } from "@tanstack/react-query";
import { Eye, Hand, Inbox, MessageCircleQuestion, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useNow } from "@/components/board/use-now";
import { ApprovalButtons } from "@/components/runs/approval-buttons";
import { formatWaiting } from "@/components/runs/format";
import { EmptyState } from "@/components/ui/empty-state";
import { formatExact } from "@/lib/format";
import type { InboxItem } from "@/lib/inbox/queries";
import { waitingLabel } from "@/lib/tasks/waiting-runs";
import { inboxQueryOptions } from "./inbox-query";

const KIND = {
  approval: { label: "Approve a command", icon: Hand, tone: "text-amber-700 dark:text-amber-300" },
  review: { label: "Review", icon: Eye, tone: "text-violet-700 dark:text-violet-300" },
  failed: { label: "Failed run", icon: RotateCcw, tone: "text-red-700 dark:text-red-300" },
  needs_human: {
    label: "Needs a human",
    icon: MessageCircleQuestion,
    tone: "text-amber-700 dark:text-amber-300",
  },
} as const;

function Waited({ since }: { since: string }) {
  const now = useNow();
  return (
    <time
      dateTime={since}
      title={`Waiting since ${formatExact(new Date(since))}`}
      className="tabular whitespace-nowrap text-xs text-muted-foreground"
      suppressHydrationWarning
    >
      waiting {formatWaiting(now - new Date(since).getTime())}
    </time>
  );
}

function Body({ item }: { item: InboxItem }) {
  if (item.kind === "approval") {
    return (
      <div className="grid gap-2">
        <pre className="overflow-x-auto rounded bg-muted px-2 py-1.5 font-mono text-xs">{item.command}</pre>
        <p className="text-xs text-muted-foreground">
          Matches the risky pattern <code className="font-mono">{item.pattern}</code>. The run waits for an
          answer.
        </p>
        <ApprovalButtons runId={item.runId} toolUseId={item.toolUseId} />
      </div>
    );
  }
  if (item.kind === "review") {
    return (
      <div className="grid gap-1 text-sm">
        {item.unassigned ? (
          <p className="text-xs text-muted-foreground">
            You assigned it and nobody is named to review it: review it yourself or name a reviewer.
          </p>
        ) : null}
        <Link href={`/tasks/${item.taskId}/review`} className="text-accent hover:underline">
          {item.unassigned ? "Open the review" : "Review the changes"}
        </Link>
      </div>
    );
  }
  if (item.kind === "needs_human") {
    return (
      <div className="grid gap-1 text-sm">
        <p className="line-clamp-2 text-xs text-muted-foreground">
          <span className="font-medium text-foreground">
            {waitingLabel({
              outcome: item.outcome,
              outcomeReason: item.reason,
              stopReason: item.stopReason,
            }) ?? "The agent stopped"}
          </span>
          {item.reason ? `: ${item.reason}` : null}
        </p>
        <Link href={`/tasks/${item.taskId}`} className="text-accent hover:underline">
          {item.outcome === "needs_input" ? "Answer the agent" : "Decide what happens next"}
        </Link>
      </div>
    );
  }
  return (
    <div className="grid gap-1 text-sm">
      {item.error ? <p className="line-clamp-2 text-xs text-muted-foreground">{item.error}</p> : null}
      <div className="flex gap-3">
        {item.runId ? (
          <Link href={`/runs/${item.runId}`} className="text-accent hover:underline">
            See what happened
          </Link>
        ) : null}
        <Link href={`/tasks/${item.taskId}`} className="text-accent hover:underline">
          Open the task
        </Link>
      </div>
    </div>
  );
}

/** What waits on the signed-in person, oldest first; live through the team-changes stream. */
export function InboxList({ canAssign }: { canAssign: boolean }) {
  const { data: items = [] } = useQuery(inboxQueryOptions());
  if (items.length === 0) {
    // A viewer can't assign, review or approve: nothing will ever wait on them, so don't teach them to.
    return canAssign ? (
      <EmptyState icon={Inbox} title="Nothing needs you">
        Approvals for risky commands, reviews assigned to you (or of your tasks that nobody reviews), agents
        that asked you a question or stopped short, and failed runs you started show up here, oldest first.
        Assign a task from the board and name a reviewer to fill someone's inbox.
      </EmptyState>
    ) : (
      <EmptyState icon={Inbox} title="Nothing needs you">
        As a viewer you follow the team's work on the board and the run pages; approvals and reviews go to
        developers and admins.
      </EmptyState>
    );
  }
  return (
    <ul aria-label="Waiting on you" className="grid gap-2">
      {items.map((item) => {
        const kind = KIND[item.kind];
        const Icon = kind.icon;
        return (
          <li
            key={item.key}
            data-testid="inbox-item"
            data-kind={item.kind}
            className="grid gap-2 rounded-lg border bg-surface px-4 py-3"
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className={`inline-flex items-center gap-1 text-xs font-medium ${kind.tone}`}>
                <Icon className="size-3.5" aria-hidden /> {kind.label}
              </span>
              <Link
                href={`/tasks/${item.taskId}`}
                className="min-w-0 truncate text-sm font-medium hover:underline"
              >
                <span className="tabular text-muted-foreground">#{item.taskNumber}</span> {item.title}
              </Link>
              <span className="text-xs text-muted-foreground">
                {item.agentNames.join(", ")} · <span className="font-mono">{item.repoName}</span>
              </span>
              <span className="ml-auto">
                <Waited since={item.since} />
              </span>
            </div>
            <Body item={item} />
          </li>
        );
      })}
    </ul>
  );
}
