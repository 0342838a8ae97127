// The team setting "hand a predicted base conflict back automatically": when the base moves under an
// open task and its branch would now conflict, Foreman asks the agent to merge the base and resolve, as
// if the task's author had clicked the button. The hand-back is the same service call, audited with the
// source "system".
import { and, count, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { askAgentToResolve } from "@/lib/reviews/service";
import { getTeamSettings } from "@/lib/teams/settings";

/** A task the agent couldn't untangle after this many automatic tries waits for a person. */
export const MAX_AUTOMATIC_HANDBACKS = 3;

export type HandBackResult = "handed_back" | "off" | "limit" | "refused" | "gone";

/** Foreman acting for the task's author: their user on the run and the audit row, source "system". */
function onBehalfOf(task: { teamId: string; assignedBy: string | null }): Actor | null {
  if (!task.assignedBy) return null;
  return {
    userId: task.assignedBy,
    teamId: task.teamId,
    role: "developer",
    email: "",
    name: "Foreman",
    source: "system",
  };
}

async function automaticHandBacks(teamId: string, taskId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.teamId, teamId),
        eq(auditEvents.objectId, taskId),
        eq(auditEvents.action, "task.conflict_resolution_requested"),
        eq(auditEvents.source, "system"),
      ),
    );
  return row?.n ?? 0;
}

/** Hands one newly conflicting task back to its agent, if its team asked for that. */
export async function handBackBaseConflict(taskId: string): Promise<HandBackResult> {
  const db = await getDb();
  const [task] = await db
    .select({ id: tasks.id, teamId: tasks.teamId, assignedBy: tasks.assignedBy })
    .from(tasks)
    .where(eq(tasks.id, taskId));
  const actor = task ? onBehalfOf(task) : null;
  if (!task || !actor) return "gone";
  const settings = await getTeamSettings(actor);
  if (!settings.conflicts.autoResolveBaseConflicts) return "off";
  if ((await automaticHandBacks(task.teamId, task.id)) >= MAX_AUTOMATIC_HANDBACKS) return "limit";
  try {
    await askAgentToResolve(actor, task.id);
    return "handed_back";
  } catch (error) {
    // Expected refusals: a run is still working on it, the task left review, the spend cap… the task
    // keeps its notice and its button, so a person decides.
    if (error instanceof AppError) return "refused";
    throw error;
  }
}

/** After a refresh: every task that newly conflicts with its base, one at a time. */
export async function handBackBaseConflicts(taskIds: string[]): Promise<HandBackResult[]> {
  const results: HandBackResult[] = [];
  for (const taskId of taskIds) results.push(await handBackBaseConflict(taskId));
  return results;
}
