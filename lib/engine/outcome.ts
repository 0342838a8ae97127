// A finished run's outcome, from what the agent reported (finish_task) and from the facts: whether the
// run changed a file, what the test command said, how the loop ended. The agent's word never turns a run
// without changes into "changes ready".
import type { RunOutcome } from "@/db/schema/run-statuses";
import type { FinishReport } from "./tools/finish-task";

export interface OutcomeFacts {
  /** How the loop ended: succeeded (the agent finished), failed (error, budget, refusal) or cancelled. */
  status: "succeeded" | "failed" | "cancelled";
  report?: FinishReport;
  /** What the agent said last (its summary) or the error that ended the run. */
  message?: string;
  /** The run committed at least one checkpoint. */
  changed: boolean;
  /** The test command's exit code (null: it timed out); undefined when the run was not verified. */
  verifyExitCode?: number | null;
}

const REASON_LIMIT = 2000;
const clip = (text: string) => (text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT)}…` : text);

export function judgeOutcome(facts: OutcomeFacts): { outcome: RunOutcome; reason: string | null } {
  if (facts.status === "cancelled") return { outcome: "failed", reason: "The run was cancelled." };
  if (facts.status === "failed") return { outcome: "failed", reason: facts.message ?? "The run failed." };
  const said = facts.report?.summary ?? facts.message?.trim();
  if (facts.report?.outcome === "needs_input")
    return { outcome: "needs_input", reason: clip(facts.report.question ?? facts.report.summary) };
  if (facts.report?.outcome === "blocked") return { outcome: "blocked", reason: clip(facts.report.summary) };
  if (!facts.changed) {
    return {
      outcome: "no_changes",
      reason: clip(said ? `The run changed no file. The agent said: ${said}` : "The run changed no file."),
    };
  }
  if (facts.verifyExitCode !== undefined && facts.verifyExitCode !== 0) {
    const how = facts.verifyExitCode === null ? "timed out" : `failed (exit ${facts.verifyExitCode})`;
    return { outcome: "verification_failed", reason: `The test command ${how}.` };
  }
  return { outcome: "changes_ready", reason: null };
}
