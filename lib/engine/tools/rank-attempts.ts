// rank_attempts: a judge's answer (Best-of-N, lib/compare/judge.ts) — every attempt ranked once, best
// first, each with its reasons. Its input is the model's, so it is parsed like any untrusted input; a bad
// call gets an error result the model can correct, and ends nothing.
import { z } from "zod";
import type { RunEvent } from "@/lib/events/run-event";
import { acceptedCall } from "./accepted-call";
import { RANK_ATTEMPTS_TOOL_NAME } from "./definitions";

const MAX_TEXT = 4000;

const rankAttemptsInput = z.object({
  ranking: z
    .array(
      z.object({
        attempt: z.number().int().positive(),
        reasons: z.string().trim().min(1).max(MAX_TEXT),
      }),
    )
    .min(1),
  summary: z.string().trim().min(1).max(MAX_TEXT),
});

export type Ranking = z.infer<typeof rankAttemptsInput>;

/** The ranking, or what is wrong with it: every attempt of `attempts` exactly once, nothing else. */
function parseRanking(input: unknown, attempts: number[]): { ranking: Ranking } | { problem: string } {
  const parsed = rankAttemptsInput.safeParse(input);
  if (!parsed.success) {
    return {
      problem: parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    };
  }
  const ranked = parsed.data.ranking.map((r) => r.attempt);
  const unknown = ranked.filter((n) => !attempts.includes(n));
  if (unknown.length > 0) return { problem: `there is no attempt ${unknown.join(", ")}` };
  const twice = ranked.filter((n, i) => ranked.indexOf(n) !== i);
  if (twice.length > 0) return { problem: `attempt ${twice.join(", ")} is ranked more than once` };
  const missing = attempts.filter((n) => !ranked.includes(n));
  if (missing.length > 0) return { problem: `attempt ${missing.join(", ")} is missing from the ranking` };
  return { ranking: parsed.data };
}

/** The stored result of a rank_attempts call: accepted, or an error the model can act on. */
export function runRankAttempts(input: unknown, attempts: number[]): { content: string; isError: boolean } {
  const parsed = parseRanking(input, attempts);
  if ("problem" in parsed) {
    return {
      content: `The ranking was not recorded (${parsed.problem}). Call rank_attempts again with every attempt (${attempts.join(", ")}) exactly once, best first, each with its reasons, and a summary.`,
      isError: true,
    };
  }
  const order = parsed.ranking.ranking.map((r) => `attempt ${r.attempt}`).join(", then ");
  return { content: `Recorded: ${order}. Your work on this run ends here.`, isError: false };
}

/** The run's accepted ranking, if it made one (read from the stored events). */
export function rankingOf(events: RunEvent[], attempts: number[]): Ranking | null {
  return acceptedCall(events, RANK_ATTEMPTS_TOOL_NAME, (input) => {
    const parsed = parseRanking(input, attempts);
    return "ranking" in parsed ? parsed.ranking : null;
  });
}
