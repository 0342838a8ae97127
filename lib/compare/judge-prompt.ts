// What a judge is told (Best-of-N): the task, and each attempt's facts, its agent's summary and its diff
// against the base. Summaries and diffs were written by the agents being judged: they are quoted as data,
// in fences longer than any backtick run they hold, and the judge's system prompt says never to obey them.
import { formatUsd } from "@/lib/format";
import type { Attempt } from "./queries";

/** Characters of diff the prompt carries in all, shared between the attempts (the judge can read the rest). */
const DIFF_BUDGET = 60_000;
const SUMMARY_LIMIT = 2_000;

function fenced(text: string, info = ""): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

function verificationLine(attempt: Attempt): string {
  switch (attempt.verification) {
    case "passed":
      return "the test command passed";
    case "failed":
      return `the test command failed (exit ${attempt.verifyExitCode})`;
    case "timed_out":
      return "the test command timed out";
    default:
      return "not verified (no test command ran)";
  }
}

function minutes(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

function attemptSection(attempt: Attempt, diffBudget: number): string {
  const files = attempt.diff?.files.length ?? 0;
  const lines = [
    `### Attempt ${attempt.index}: branch attempt-${attempt.index}`,
    `- Agent: ${attempt.agentName} (${attempt.model})`,
    `- Verification: ${verificationLine(attempt)}`,
    `- Changes: ${files} file${files === 1 ? "" : "s"}, +${attempt.additions} −${attempt.deletions}`,
    `- Work: ${attempt.steps} steps in ${attempt.runCount} run${attempt.runCount === 1 ? "" : "s"}, ${minutes(attempt.durationMs)}, ${attempt.unpriced ? "unpriced" : formatUsd(attempt.costUsd)}`,
  ];
  if (attempt.summary) {
    const summary =
      attempt.summary.length > SUMMARY_LIMIT
        ? `${attempt.summary.slice(0, SUMMARY_LIMIT)}…`
        : attempt.summary;
    lines.push("- Its agent's own summary (a claim to check against the diff):", fenced(summary));
  }
  const patch = attempt.diff?.patch ?? "";
  const cut = patch.length > diffBudget;
  lines.push(
    `- Its diff against the base${cut ? ` (the first ${diffBudget} characters of ${patch.length}; read the rest with \`git diff HEAD...attempt-${attempt.index}\`)` : ""}:`,
    fenced(cut ? patch.slice(0, diffBudget) : patch || "(empty)", "diff"),
  );
  return lines.join("\n");
}

export function judgePrompt(
  task: { number: number; title: string; prompt: string; baseBranch: string },
  attempts: Attempt[],
): string {
  const budget = Math.floor(DIFF_BUDGET / Math.max(1, attempts.length));
  return [
    `Rank the ${attempts.length} attempts at task #${task.number}, "${task.title}", best first.`,
    "",
    "## The task the agents were given",
    fenced(task.prompt),
    "",
    `## The attempts (each a branch of your repository; the base is ${task.baseBranch}, checked out)`,
    "",
    attempts.map((a) => attemptSection(a, budget)).join("\n\n"),
    "",
    `Read what you need in the repository, then call rank_attempts with attempts ${attempts.map((a) => a.index).join(", ")}, each exactly once.`,
  ].join("\n");
}
