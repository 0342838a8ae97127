// Best-of-N's judge: a reviewer asks an agent to rank a task's attempts. The judge's run is queued like
// any run (kind 'judge': the queue, the worker, its events and timeline, its cost), in a read-only sandbox
// that holds the base and each attempt as a branch (lib/engine/run-sandbox.ts), with two tools: bash and
// rank_attempts. Its answer lands in `judgings` with the run's end (lib/engine/judge-finish.ts). It is not
// an attempt: the task's status, lines and metrics leave it out (isAgentWorkRun), and its spend is counted
// apart (lib/metrics/parallel-work.ts).
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import {
  ACTIVE_RUN_STATUSES,
  agents,
  JUDGE_RUN_KIND,
  judgings,
  type Run,
  type RunStatus,
  runs,
} from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, conflict } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { parseInput } from "@/lib/models/parse";
import { loadLines, lockTask } from "@/lib/reviews/load";
import { queueRun } from "@/lib/runs/queue-run";
import { taskVersion } from "@/lib/tasks/version";
import { judgePrompt } from "./judge-prompt";
import { type Attempt, getCompare } from "./queries";

const CHOOSE = "Choose the agent that judges (agentId).";
export const askJudgeSchema = z.object({
  agentId: z.string({ error: CHOOSE }).trim().min(1, { error: CHOOSE }),
});
export type AskJudgeInput = z.input<typeof askJudgeSchema>;

/** Why the attempts can't be judged now, or null. */
export function judgeBlocked(data: {
  task: { status: string; promotedBranch: string | null; mergedBranch: string | null };
  attempts: Pick<Attempt, "headSha">[];
  anyRunActive: boolean;
}): string | null {
  const { task } = data;
  if (task.mergedBranch) return "An attempt was merged: there is nothing left to choose.";
  if (task.promotedBranch) return "An attempt was promoted: there is nothing left to choose.";
  if (["discarded", "cancelled"].includes(task.status)) return `This task is ${task.status}.`;
  if (data.anyRunActive) return "An agent is still working on this task. Wait for every run to end.";
  if (data.attempts.filter((a) => a.headSha).length < 2)
    return "Fewer than two attempts committed anything: there is nothing to compare.";
  return null;
}

export async function askJudge(actor: Actor, taskId: string, raw: unknown): Promise<{ run: Run }> {
  authorize(actor, "tasks:review");
  const input = parseInput(askJudgeSchema, raw);
  if (!isUuid(input.agentId)) throw badRequest("Choose an agent of your team to judge.", "agentId");
  // git is read before the transaction (which stays short): the attempts' heads and diffs.
  const data = await getCompare(actor, taskId);
  const blocked = judgeBlocked(data);
  if (blocked) throw conflict(blocked);
  const judged = data.attempts.filter((a): a is Attempt & { headSha: string } => a.headSha !== null);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    const { runs: taskRuns } = await loadLines(tx, task);
    if (taskVersion(task, taskRuns) !== data.version)
      throw conflict("The attempts changed while the judge was being asked. Look at them again, then retry.");
    const [busy] = await tx
      .select({ id: runs.id })
      .from(runs)
      .where(
        and(
          eq(runs.taskId, task.id),
          eq(runs.kind, JUDGE_RUN_KIND),
          inArray(runs.status, [...ACTIVE_RUN_STATUSES] as RunStatus[]),
        ),
      )
      .limit(1);
    if (busy) throw conflict("A judge is already ranking these attempts.");
    const [agent] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.id, input.agentId), eq(agents.teamId, actor.teamId)));
    if (!agent) throw badRequest("Choose an agent of your team to judge.", "agentId");
    const run = await queueRun(
      tx,
      actor,
      task,
      {
        agent,
        // Not a branch: a judge's run has none (it reads the attempts' and pushes nothing).
        branch: "",
        kind: JUDGE_RUN_KIND,
        prompt: judgePrompt(task, judged),
      },
      {
        audit: (queued) => ({
          action: "task.judge_asked",
          object: { type: "task", id: task.id },
          details: {
            number: task.number,
            runId: queued.id,
            agent: agent.name,
            attempts: judged.map((a) => a.branch),
          },
        }),
        notice: "run",
      },
    );
    await tx.insert(judgings).values({
      runId: run.id,
      teamId: task.teamId,
      taskId: task.id,
      attempts: judged.map((a) => ({ index: a.index, branch: a.branch, headSha: a.headSha, runId: a.runId })),
    });
    return { run };
  });
}
