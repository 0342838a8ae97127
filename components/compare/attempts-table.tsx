import Link from "next/link";
import type * as React from "react";
import { formatDuration } from "@/components/runs/format";
import { Markdown } from "@/components/ui/markdown";
import { RunStatusBadge } from "@/components/ui/status-badge";
import type { Attempt } from "@/lib/compare/queries";
import { formatUsd } from "@/lib/format";
import { cn } from "@/lib/utils";
import { PromoteButton } from "./promote-button";

const VERIFICATION: Record<Attempt["verification"], { label: string; className: string }> = {
  passed: { label: "Tests passed", className: "text-emerald-700 dark:text-emerald-300" },
  failed: { label: "Tests failed", className: "text-red-700 dark:text-red-300" },
  timed_out: { label: "Tests timed out", className: "text-red-700 dark:text-red-300" },
  not_run: { label: "Not verified", className: "text-muted-foreground" },
};

export const attemptLabel = (a: Pick<Attempt, "index" | "agentName">) =>
  `Attempt ${a.index} (${a.agentName})`;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr className="border-b last:border-b-0">
      <th
        scope="row"
        className="w-32 px-4 py-1.5 text-left align-top text-xs font-medium text-muted-foreground"
      >
        {label}
      </th>
      {children}
    </tr>
  );
}

const cell = "px-4 py-1.5 align-top";

/** The attempts side by side: one column each, one row per fact, so differences read across a line. */
export function AttemptsTable({
  taskId,
  attempts,
  canPromote,
  promoteBlocked,
  judgePick = null,
}: {
  taskId: string;
  attempts: Attempt[];
  /** The branch the judge ranked first, if one ranked the attempts. */
  judgePick?: string | null;
  canPromote: boolean;
  /** Why no attempt can be promoted now (a run works, one was promoted); null: any can be. */
  promoteBlocked: string | null;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed text-sm" data-testid="attempts">
        <colgroup>
          <col className="w-32" />
          {attempts.map((a) => (
            <col key={a.branch} />
          ))}
        </colgroup>
        <thead>
          <tr className="border-b">
            <th className="px-4 py-2" />
            {attempts.map((a) => (
              <th
                key={a.branch}
                scope="col"
                className={cn("px-4 py-2 text-left align-top", a.closed && "text-muted-foreground")}
                data-testid={`attempt-${a.index}`}
              >
                <div className="flex items-center gap-2">
                  <span className="font-semibold">Attempt {a.index}</span>
                  {a.merged ? (
                    <span className="text-xs font-normal text-emerald-700 dark:text-emerald-300">merged</span>
                  ) : a.promoted ? (
                    <span className="text-xs font-normal text-accent">promoted</span>
                  ) : a.closed ? (
                    <span className="text-xs font-normal">closed</span>
                  ) : null}
                  {judgePick === a.branch ? (
                    <span className="text-xs font-normal text-accent">judge's pick</span>
                  ) : null}
                </div>
                <div
                  className="truncate font-mono text-xs font-normal text-muted-foreground"
                  title={a.branch}
                >
                  {a.branch}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <Row label="Agent">
            {attempts.map((a) => (
              <td key={a.branch} className={cell}>
                <div className="truncate font-medium">{a.agentName}</div>
                <div className="truncate font-mono text-xs text-muted-foreground">{a.model}</div>
              </td>
            ))}
          </Row>
          <Row label="Status">
            {attempts.map((a) => (
              <td key={a.branch} className={cell}>
                <RunStatusBadge status={a.status} outcome={a.outcome} />
                {a.runCount > 1 ? (
                  <span className="ml-2 text-xs text-muted-foreground">{a.runCount} runs</span>
                ) : null}
              </td>
            ))}
          </Row>
          <Row label="Changes">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, "tabular")}>
                {a.diff ? (
                  <>
                    {a.diff.files.length} {a.diff.files.length === 1 ? "file" : "files"}{" "}
                    <span className="text-emerald-700 dark:text-emerald-300">+{a.additions}</span>{" "}
                    <span className="text-red-700 dark:text-red-300">−{a.deletions}</span>
                  </>
                ) : (
                  <span className="text-xs text-muted-foreground">{a.diffError ?? "No diff"}</span>
                )}
              </td>
            ))}
          </Row>
          <Row label="Verification">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, VERIFICATION[a.verification].className)}>
                {VERIFICATION[a.verification].label}
                {a.verification === "failed" && a.verifyExitCode !== null
                  ? ` (exit ${a.verifyExitCode})`
                  : ""}
              </td>
            ))}
          </Row>
          <Row label="Cost">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, "tabular")}>
                {a.unpriced ? "unpriced" : formatUsd(a.costUsd)}
              </td>
            ))}
          </Row>
          <Row label="Duration">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, "tabular")}>
                {a.durationMs > 0 ? formatDuration(a.durationMs) : "—"}
              </td>
            ))}
          </Row>
          <Row label="Steps">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, "tabular")}>
                {a.steps}
              </td>
            ))}
          </Row>
          <Row label="Summary">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, "text-xs")}>
                {/* The agent's own words, in Markdown as the review page shows them: rendered as React
                    elements (never as HTML), clipped. */}
                <div className="line-clamp-4 break-words" title={a.summary ?? undefined}>
                  {(a.summary ?? a.outcomeReason) ? (
                    <Markdown source={a.summary ?? a.outcomeReason ?? ""} />
                  ) : (
                    <span className="text-muted-foreground">No summary</span>
                  )}
                </div>
              </td>
            ))}
          </Row>
          <Row label="">
            {attempts.map((a) => (
              <td key={a.branch} className={cn(cell, "py-2")}>
                <div className="flex flex-wrap items-center gap-2">
                  {canPromote && !a.closed && !a.promoted && !a.merged ? (
                    <PromoteButton
                      taskId={taskId}
                      runId={a.runId}
                      label={attemptLabel(a)}
                      others={attempts.filter((o) => o.branch !== a.branch).map((o) => o.branch)}
                      disabledReason={
                        promoteBlocked ??
                        (a.diff && a.diff.files.length > 0 ? null : "This attempt has no changes.")
                      }
                    />
                  ) : null}
                  {/* A closed attempt's branch is archived: its review page shows the final diff, read-only. */}
                  <Link
                    href={`/tasks/${taskId}/review?run=${a.runId}`}
                    className="text-xs text-accent hover:underline"
                  >
                    {a.closed ? "Final diff" : "Review"}
                  </Link>
                  <Link href={`/runs/${a.runId}`} className="text-xs text-muted-foreground hover:underline">
                    Latest run
                  </Link>
                </div>
              </td>
            ))}
          </Row>
        </tbody>
      </table>
    </div>
  );
}
