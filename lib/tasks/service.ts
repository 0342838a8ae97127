import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, memberships, repositories, runs, type TaskStatus, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { notifyQueue } from "@/lib/queue/claim";
import { runBranchName } from "./branch-name";
import { type CreateTaskInput, createTaskSchema } from "./schema";

/** Creates a task and queues its first run; workers pick it up at once. */
export async function createTask(actor: Actor, raw: CreateTaskInput) {
  authorize(actor, "tasks:assign");
  const input = createTaskSchema.parse(raw);
  const db = await getDb();
  const [repo] = await db
    .select()
    .from(repositories)
    .where(and(eq(repositories.id, input.repoId), eq(repositories.teamId, actor.teamId)));
  if (!repo) throw badRequest("That repository doesn't exist in your team.", "repoId");
  const [agent] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.id, input.agentId), eq(agents.teamId, actor.teamId)));
  if (!agent) throw badRequest("That agent doesn't exist in your team.", "agentId");
  if (input.reviewerId) {
    const [reviewer] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, input.reviewerId), eq(memberships.teamId, actor.teamId)));
    if (!reviewer) throw badRequest("The reviewer isn't a member of your team.", "reviewerId");
    if (reviewer.role === "viewer")
      throw badRequest("Viewers can't review; choose a developer or admin.", "reviewerId");
  }
  const baseBranch = input.baseBranch || repo.defaultBranch;

  const created = await db.transaction(async (tx) => {
    // Task numbers are per team; the advisory lock keeps two assignments from taking the same one.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`tasks:${actor.teamId}`}))`);
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${tasks.number}), 0) + 1` })
      .from(tasks)
      .where(eq(tasks.teamId, actor.teamId));
    const number = Number(next);
    const [task] = await tx
      .insert(tasks)
      .values({
        teamId: actor.teamId,
        number,
        title: input.title,
        prompt: input.prompt,
        repoId: repo.id,
        agentId: agent.id,
        baseBranch,
        assignedBy: actor.userId,
        reviewerId: input.reviewerId ?? null,
      })
      .returning();
    if (!task) throw new Error("task insert returned nothing");
    const [run] = await tx
      .insert(runs)
      .values({
        teamId: actor.teamId,
        taskId: task.id,
        agentId: agent.id,
        model: agent.model,
        branch: runBranchName(number, input.title),
        startedBy: actor.userId,
        maxSteps: input.maxSteps ?? agent.maxSteps,
        maxCostUsd: input.maxCostUsd ?? agent.maxCostUsd,
        maxDurationSec: input.maxDurationMin ? Math.round(input.maxDurationMin * 60) : agent.maxDurationSec,
      })
      .returning();
    if (!run) throw new Error("run insert returned nothing");
    await recordAudit(
      tx,
      actor,
      "task.assigned",
      { type: "task", id: task.id },
      {
        number,
        agent: agent.name,
        repo: repo.name,
        runId: run.id,
      },
    );
    return { task, run };
  });
  await notifyQueue();
  return created;
}

export async function listTasks(actor: Actor, filter: { status?: TaskStatus } = {}) {
  authorize(actor, "team:read");
  const db = await getDb();
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.teamId, actor.teamId), filter.status ? eq(tasks.status, filter.status) : undefined))
    .orderBy(desc(tasks.createdAt))
    .limit(500);
}

export async function getTask(actor: Actor, id: string) {
  authorize(actor, "team:read");
  if (!isUuid(id)) throw notFound("Task");
  const db = await getDb();
  const [task] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.teamId, actor.teamId)));
  if (!task) throw notFound("Task");
  const taskRuns = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(desc(runs.queuedAt));
  return { task, runs: taskRuns };
}
