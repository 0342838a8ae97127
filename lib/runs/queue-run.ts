// The one way a run is queued — a task's first runs, a follow-up after review or an answer, a conflict
// resolution, a re-run: the spend cap and the sandbox are checked in the caller's transaction, the budgets
// are the agent's unless the caller carries others, and the audit row, the team's notice and the queue's
// wake-up all commit with the run.
import type { Tx } from "@/db";
import { type Agent, type Run, runs, type Task } from "@/db/schema";
import { assertAgentCanRun } from "@/lib/agents/model-availability";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { notifyTeamChange, type TeamChange } from "@/lib/events/team-changes";
import { assertWithinSpendCap } from "@/lib/metrics/spend-cap";
import { notifyQueue } from "@/lib/queue/claim";
import { assertRunsCanStart } from "@/lib/sandbox/status";

export type RunKind = "initial" | "follow_up" | "resolve_conflict" | "rerun" | "judge";

export interface Budgets {
  maxSteps: number;
  maxCostUsd: number;
  maxDurationSec: number;
}

export interface RunToQueue {
  agent: Agent;
  branch: string;
  kind: RunKind;
  /** The run's first message; omitted, the task's prompt. */
  prompt?: string;
  parentRunId?: string;
  /** Omitted: the agent's model as it is now. */
  model?: string;
  /** Budgets the caller carries (a task's overrides, the earlier run's); each one omitted is the agent's. */
  budgets?: { [K in keyof Budgets]?: Budgets[K] | null };
}

export interface QueueAudit {
  action: string;
  object: { type: string; id: string };
  details: Record<string, unknown>;
}

/**
 * Queues runs of one task in the caller's transaction, in the order given (one millisecond apart, so
 * every list ordered by queue time shows them in that order), and returns them in that order. `audit`
 * builds the one audit row from the queued runs.
 */
export async function queueRuns(
  tx: Tx,
  actor: Actor,
  task: Pick<Task, "id" | "teamId">,
  list: RunToQueue[],
  options: { audit: (queued: Run[]) => QueueAudit; notice: TeamChange["kind"] },
): Promise<Run[]> {
  // Past the team's monthly spend cap no run is queued (the message says who can raise it); read in this
  // transaction, so the check and the insert see the same month.
  await assertWithinSpendCap(task.teamId, tx);
  await assertRunsCanStart();
  // A real model needs ANTHROPIC_API_KEY: refused (409) here rather than failing in the worker.
  for (const each of list)
    assertAgentCanRun({ name: each.agent.name, model: each.model ?? each.agent.model });
  const queuedAt = Date.now();
  const inserted = await tx
    .insert(runs)
    .values(
      list.map((each, index) => ({
        teamId: task.teamId,
        taskId: task.id,
        agentId: each.agent.id,
        model: each.model ?? each.agent.model,
        branch: each.branch,
        startedBy: actor.userId,
        queuedAt: new Date(queuedAt + index),
        maxSteps: each.budgets?.maxSteps ?? each.agent.maxSteps,
        maxCostUsd: each.budgets?.maxCostUsd ?? each.agent.maxCostUsd,
        maxDurationSec: each.budgets?.maxDurationSec ?? each.agent.maxDurationSec,
        kind: each.kind,
        prompt: each.prompt ?? null,
        parentRunId: each.parentRunId ?? null,
      })),
    )
    .returning();
  // Insert order is not guaranteed to be returning order.
  const queued = list
    .map((each) => inserted.find((r) => r.agentId === each.agent.id && r.branch === each.branch))
    .filter((r) => r !== undefined);
  const first = queued[0];
  if (!first || queued.length !== list.length) throw new Error("run insert returned nothing");
  const audit = options.audit(queued);
  await recordAudit(tx, actor, audit.action, audit.object, audit.details);
  await notifyTeamChange(tx, { teamId: task.teamId, kind: options.notice, taskId: task.id, runId: first.id });
  await notifyQueue(tx);
  return queued;
}

/** One run: see queueRuns. */
export async function queueRun(
  tx: Tx,
  actor: Actor,
  task: Pick<Task, "id" | "teamId">,
  run: RunToQueue,
  options: { audit: (queued: Run) => QueueAudit; notice: TeamChange["kind"] },
): Promise<Run> {
  const [queued] = await queueRuns(tx, actor, task, [run], {
    audit: ([one]) => options.audit(one as Run),
    notice: options.notice,
  });
  return queued as Run;
}
