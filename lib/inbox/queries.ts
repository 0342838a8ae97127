import { and, asc, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, isAgentWorkRun, repositories, runEvents, runs, tasks } from "@/db/schema";
import { type Actor, authorize, can } from "@/lib/auth/permissions";
import { agentsOfTasks } from "@/lib/tasks/task-agents";

interface InboxBase {
  /** Stable per item, for React keys and tests. */
  key: string;
  taskId: string;
  taskNumber: number;
  title: string;
  repoName: string;
  /** The agents concerned: the run's for an approval, every agent on the task otherwise. */
  agentNames: string[];
  /** Since when it has waited on the person (ISO). */
  since: string;
}

export type InboxItem =
  | (InboxBase & { kind: "approval"; runId: string; toolUseId: string; command: string; pattern: string })
  /** unassigned: nobody is named to review the task this person assigned, so it waits on them. */
  | (InboxBase & { kind: "review"; unassigned: boolean })
  | (InboxBase & { kind: "failed"; runId: string | null; error: string | null })
  /** The agent stopped short (asked a question, was blocked, changed nothing): a person decides. */
  | (InboxBase & {
      kind: "needs_human";
      runId: string | null;
      outcome: string | null;
      reason: string | null;
      /** "dependency_discarded": the run never started, a task it waited on was discarded. */
      stopReason: string | null;
    });

/**
 * Everything waiting on this person, oldest first: risky commands they may approve, reviews assigned
 * to them, reviews of tasks they assigned with nobody named to review them, tasks of theirs (assigned or
 * to review) where the agent stopped short and needs a person, and failed tasks they assigned (until
 * someone re-runs or discards them).
 */
export async function listInbox(actor: Actor): Promise<InboxItem[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  const items: InboxItem[] = [];

  if (can(actor, "runs:approve")) {
    // Only runs waiting right now can take an answer; a run that ended left its question moot.
    const waiting = await db
      .select({
        runId: runs.id,
        taskId: tasks.id,
        taskNumber: tasks.number,
        title: tasks.title,
        repoName: repositories.name,
        agentName: agents.name,
      })
      .from(runs)
      .innerJoin(tasks, eq(tasks.id, runs.taskId))
      .innerJoin(repositories, eq(repositories.id, tasks.repoId))
      .innerJoin(agents, eq(agents.id, runs.agentId))
      .where(and(eq(runs.teamId, actor.teamId), eq(runs.status, "waiting_approval")));
    if (waiting.length > 0) {
      const events = await db
        .select({
          runId: runEvents.runId,
          type: runEvents.type,
          payload: runEvents.payload,
          createdAt: runEvents.createdAt,
        })
        .from(runEvents)
        .where(
          and(
            inArray(
              runEvents.runId,
              waiting.map((w) => w.runId),
            ),
            inArray(runEvents.type, ["approval_requested", "approval_decided"]),
          ),
        )
        .orderBy(asc(runEvents.seq));
      const decided = new Set(
        events.filter((e) => e.type === "approval_decided").map((e) => `${e.runId}:${e.payload.toolUseId}`),
      );
      const byRun = new Map(waiting.map((w) => [w.runId, w]));
      for (const event of events) {
        if (event.type !== "approval_requested") continue;
        const toolUseId = String(event.payload.toolUseId);
        const run = byRun.get(event.runId);
        if (!run || decided.has(`${event.runId}:${toolUseId}`)) continue;
        const { agentName, ...rest } = run;
        items.push({
          kind: "approval",
          key: `approval:${event.runId}:${toolUseId}`,
          ...rest,
          agentNames: [agentName],
          toolUseId,
          command: String(event.payload.command ?? ""),
          pattern: String(event.payload.pattern ?? ""),
          since: event.createdAt.toISOString(),
        });
      }
    }
  }

  const mine = await db
    .select({
      taskId: tasks.id,
      taskNumber: tasks.number,
      title: tasks.title,
      status: tasks.status,
      repoName: repositories.name,
      reviewerId: tasks.reviewerId,
      assignedBy: tasks.assignedBy,
      updatedAt: tasks.updatedAt,
    })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .where(
      and(
        eq(tasks.teamId, actor.teamId),
        or(
          and(eq(tasks.status, "in_review"), eq(tasks.reviewerId, actor.userId)),
          and(eq(tasks.status, "in_review"), isNull(tasks.reviewerId), eq(tasks.assignedBy, actor.userId)),
          and(eq(tasks.status, "failed"), eq(tasks.assignedBy, actor.userId)),
          and(
            eq(tasks.status, "needs_human"),
            or(eq(tasks.assignedBy, actor.userId), eq(tasks.reviewerId, actor.userId)),
          ),
        ),
      ),
    );
  const stoppedIds = mine.filter((t) => t.status !== "in_review").map((t) => t.taskId);
  const lastRuns = stoppedIds.length
    ? await db
        .selectDistinctOn([runs.taskId], {
          taskId: runs.taskId,
          id: runs.id,
          error: runs.error,
          outcome: runs.outcome,
          outcomeReason: runs.outcomeReason,
          stopReason: runs.stopReason,
        })
        .from(runs)
        .where(and(inArray(runs.taskId, stoppedIds), isAgentWorkRun))
        .orderBy(runs.taskId, desc(runs.queuedAt))
    : [];
  const lastRun = new Map(lastRuns.map((r) => [r.taskId, r]));
  const agentsOf = await agentsOfTasks(
    db,
    actor.teamId,
    mine.map((t) => t.taskId),
  );
  for (const task of mine) {
    const base = {
      taskId: task.taskId,
      taskNumber: task.taskNumber,
      title: task.title,
      repoName: task.repoName,
      agentNames: (agentsOf.get(task.taskId) ?? []).map((a) => a.name),
      since: task.updatedAt.toISOString(),
    };
    if (task.status === "in_review" && (task.reviewerId === actor.userId || task.reviewerId === null)) {
      if (task.reviewerId === null && !can(actor, "tasks:assign")) continue;
      items.push({
        kind: "review",
        key: `review:${task.taskId}`,
        ...base,
        unassigned: task.reviewerId === null,
      });
    } else if (task.status === "failed" && task.assignedBy === actor.userId) {
      const run = lastRun.get(task.taskId);
      items.push({
        kind: "failed",
        key: `failed:${task.taskId}`,
        ...base,
        runId: run?.id ?? null,
        error: run?.error ?? null,
      });
    } else if (task.status === "needs_human" && can(actor, "tasks:assign")) {
      const run = lastRun.get(task.taskId);
      // A run waiting for a command's approval also puts its task here: that waits as its approval item.
      if (!run?.outcome) continue;
      items.push({
        kind: "needs_human",
        key: `needs_human:${task.taskId}`,
        ...base,
        runId: run?.id ?? null,
        outcome: run?.outcome ?? null,
        reason: run?.outcomeReason ?? null,
        stopReason: run?.stopReason ?? null,
      });
    }
  }
  return items.sort((a, b) => a.since.localeCompare(b.since));
}
