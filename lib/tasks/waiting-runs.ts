// Which runs a task in Needs a human waits on: shared by the server pages and the live client parts.
import { NEEDS_HUMAN_OUTCOMES } from "@/db/schema/run-statuses";

/** What a finished run that waits for a person said, worded for the one who reads it. */
export const WAITING_LABELS: Record<string, string> = {
  needs_input: "The agent asks",
  blocked: "The agent is blocked",
  no_changes: "No changes",
};

export interface WaitingRun {
  id: string;
  branch: string;
  outcome: string | null;
  outcomeReason: string | null;
}

/** The latest run of each branch (runs newest first) that waits for a person. */
export function waitingRuns<R extends WaitingRun>(runs: R[]): R[] {
  const latest = new Map<string, R>();
  for (const run of runs) if (!latest.has(run.branch)) latest.set(run.branch, run);
  return [...latest.values()].filter((r) => NEEDS_HUMAN_OUTCOMES.has(r.outcome ?? ""));
}
