// Answering an agent: a run that asked a question (needs_input), reported it was blocked, or changed
// nothing leaves its task in Needs a human; the answer goes back to the same agent as a follow-up run on
// the same branch, like a request for changes.
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { NEEDS_HUMAN_OUTCOMES, type RunOutcome, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";
import { chooseLine, lockTask, refuseUnless, refuseWhileRunning } from "./load";
import { answerPrompt } from "./prompts";
import { type AnswerInput, answerSchema } from "./schema";
import { queueContinuation } from "./service";

export async function answerAgent(actor: Actor, taskId: string, raw: AnswerInput) {
  authorize(actor, "tasks:review");
  const input = parseInput(answerSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseUnless(task, ["needs_human"], "answered");
    const { lines, line: shown } = await chooseLine(tx, task, input.runId);
    // Unnamed, the line that waits for a person (with several agents, the shown one may not).
    const line = input.runId
      ? shown
      : (lines.find((l) => NEEDS_HUMAN_OUTCOMES.has(l.latest.outcome ?? "")) ?? shown);
    const asked = line.latest;
    refuseWhileRunning(asked);
    if (!NEEDS_HUMAN_OUTCOMES.has(asked.outcome ?? "")) {
      throw conflict("This agent's run isn't waiting for an answer.");
    }
    const prompt = answerPrompt({
      person: actor.name,
      taskTitle: task.title,
      outcome: asked.outcome as Extract<RunOutcome, "needs_input" | "blocked" | "no_changes">,
      asked: asked.outcomeReason,
      answer: input.answer,
    });
    const run = await queueContinuation(tx, actor, task, asked, "follow_up", prompt, (queued) => ({
      action: "task.answered",
      object: { type: "task", id: task.id },
      details: { number: task.number, runId: queued.id, answeredRunId: asked.id, branch: asked.branch },
    }));
    const [updated] = await tx
      .update(tasks)
      .set({ status: "queued", updatedAt: new Date() })
      .where(eq(tasks.id, task.id))
      .returning();
    return { task: updated ?? task, run };
  });
}
