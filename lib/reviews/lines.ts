// A task assigned to several agents has one line of work per agent: a branch, and the runs on it (the
// first run, then follow-ups after review and conflict resolutions). Its runs are all queued in one
// statement, so their queuedAt ties: a line is found by its branch, never by run order. Review decisions
// and diffs act on one line.
import type { Run } from "@/db/schema";

export interface RunLine {
  branch: string;
  /** The agent that started the line (follow-ups keep it). */
  agentId: string;
  /** The line's runs, newest first. */
  runs: Run[];
  latest: Run;
}

const newestFirst = (a: Run, b: Run) =>
  b.queuedAt.getTime() - a.queuedAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

/** The task's lines: the task's own agent first (it has the plain branch name), then by branch name. */
export function groupLines(runs: Run[], primaryAgentId: string): RunLine[] {
  const byBranch = new Map<string, Run[]>();
  for (const run of [...runs].sort(newestFirst)) {
    byBranch.set(run.branch, [...(byBranch.get(run.branch) ?? []), run]);
  }
  const lines = [...byBranch.entries()].map(([branch, list]) => ({
    branch,
    agentId: (list.at(-1) as Run).agentId,
    runs: list,
    latest: list[0] as Run,
  }));
  return lines.sort(
    (a, b) =>
      Number(a.agentId !== primaryAgentId) - Number(b.agentId !== primaryAgentId) ||
      a.branch.localeCompare(b.branch),
  );
}

export function lineOfRun(lines: RunLine[], runId: string): RunLine | undefined {
  return lines.find((line) => line.runs.some((r) => r.id === runId));
}

/** When the line last had news for a reviewer: its latest run ended, or was queued after a review. */
function recency(line: RunLine): number {
  const run = line.latest;
  if (run.finishedAt) return run.finishedAt.getTime();
  return run.kind === "initial" ? Number.NEGATIVE_INFINITY : run.queuedAt.getTime();
}

/**
 * The line a reviewer sees and acts on when none is named: the merged one, else the promoted one, else the approved one (while
 * the task is approved or in conflict), else the one with the most recent news (a finished run, or a
 * follow-up the reviewer just asked for); before any run ends, the task's own agent's.
 */
export function defaultLine(
  lines: RunLine[],
  task: { status: string; mergedBranch: string | null; promotedBranch?: string | null },
  approvedRunId: string | null,
): RunLine | undefined {
  // Merged, or promoted among several attempts (lib/compare/promote.ts): the others are closed.
  for (const branch of [task.mergedBranch, task.promotedBranch]) {
    const chosen = branch ? lines.find((l) => l.branch === branch) : undefined;
    if (chosen) return chosen;
  }
  if (approvedRunId && ["approved", "conflict", "merged"].includes(task.status)) {
    const approved = lineOfRun(lines, approvedRunId);
    if (approved) return approved;
  }
  let best = lines[0];
  for (const line of lines) if (best && recency(line) > recency(best)) best = line;
  return best;
}
