import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { serializeRunEvent } from "@/lib/events/run-event";
import { getRun, listRunEvents } from "./service";
import { runView } from "./views";

export const RUN_EXPORT_FORMAT = "foreman.run.v1";

/**
 * A run as one JSON document: the run, its task and every stored event in order — enough to replay the
 * timeline or share it. Any member of the team may read it; another team's run is "not found".
 */
export async function exportRun(actor: Actor, runId: string) {
  authorize(actor, "team:read");
  const run = await getRun(actor, runId);
  const events = await listRunEvents(actor, run.id);
  const db = await getDb();
  const [task] = await db
    .select({ id: tasks.id, number: tasks.number, title: tasks.title, prompt: tasks.prompt })
    .from(tasks)
    .where(and(eq(tasks.id, run.taskId), eq(tasks.teamId, actor.teamId)));
  return {
    filename: `run-${task?.number ?? "task"}-${run.id.slice(0, 8)}.json`,
    body: {
      format: RUN_EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      task: task ?? null,
      run: runView(run),
      events: events.map(serializeRunEvent),
    },
  };
}
