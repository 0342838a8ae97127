// Which runs a task in Needs a human waits on: shared by the server pages and the live client parts.
import { NEEDS_HUMAN_OUTCOMES } from "@/db/schema/run-statuses";

/** What a finished run that waits for a person said, worded for the one who reads it. */
const WAITING_LABELS: Record<string, string> = {
  needs_input: "The agent asks",
  blocked: "The agent is blocked",
  no_changes: "No changes",
};

export interface WaitingRun {
  id: string;
  branch: string;
  outcome: string | null;
  outcomeReason: string | null;
  /** Why the run stopped; "dependency_discarded" when it never started (dependency-events.ts). */
  stopReason?: string | null;
}

/**
 * The heading of a waiting run. A run stopped because a task it waited on was discarded is "blocked"
 * without the agent having run: it names the dependency (its number leads the reason Foreman wrote,
 * discardedReason in dependency-events.ts) instead of blaming the agent.
 */
export function waitingLabel(
  run: Pick<WaitingRun, "outcome" | "outcomeReason" | "stopReason">,
): string | undefined {
  if (run.stopReason === "dependency_discarded") {
    const number = /^it waits on #(\d+)\b/.exec(run.outcomeReason ?? "")?.[1];
    return number ? `Dependency #${number} was discarded` : "A dependency was discarded";
  }
  return WAITING_LABELS[run.outcome ?? ""];
}

/** The latest run of each branch (runs newest first) that waits for a person. */
export function waitingRuns<R extends WaitingRun>(runs: R[]): R[] {
  const latest = new Map<string, R>();
  for (const run of runs) if (!latest.has(run.branch)) latest.set(run.branch, run);
  return [...latest.values()].filter((r) => NEEDS_HUMAN_OUTCOMES.has(r.outcome ?? ""));
}
