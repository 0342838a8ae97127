// How a judge's run ends (Best-of-N, lib/compare/judge.ts): its ranking, mapped from attempt numbers to the
// branches it was shown, is written to its judging in the transaction that ends the run.
import { eq } from "drizzle-orm";
import { type Judging, judgings } from "@/db/schema";
import type { LoopOutcome } from "./loop";
import type { RunStore } from "./run-store";

export async function finishJudge(store: RunStore, judging: Judging, outcome: LoopOutcome): Promise<void> {
  if (outcome.status !== "succeeded" || !outcome.ranking) {
    const error =
      outcome.status === "failed" ? outcome.error : "The judge ended without ranking the attempts.";
    await store.finish("failed", {
      stopReason: outcome.stopReason,
      error,
      outcome: "failed",
      reason: error,
    });
    return;
  }
  const branchOf = new Map(judging.attempts.map((a) => [a.index, a.branch]));
  const ranking = outcome.ranking.ranking.map((r) => ({
    index: r.attempt,
    branch: branchOf.get(r.attempt) ?? "",
    reasons: r.reasons,
  }));
  await store.finish(
    "succeeded",
    { stopReason: outcome.stopReason, summary: outcome.summary, outcome: null, reason: null },
    async (tx) => {
      await tx
        .update(judgings)
        .set({
          ranking,
          summary: outcome.summary,
          firstPickBranch: ranking[0]?.branch ?? null,
          rankedAt: new Date(),
        })
        .where(eq(judgings.runId, judging.runId));
    },
  );
}
