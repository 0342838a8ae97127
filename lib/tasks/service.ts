import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, isAgentWorkRun, repositories, runs, type Task, type TaskStatus, tasks } from "@/db/schema";
import { assertAgentCanRun } from "@/lib/agents/model-availability";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { assertWithinSpendCap } from "@/lib/metrics/spend-cap";
import { listRepoBranches } from "@/lib/repos/branches";
import { queueRuns } from "@/lib/runs/queue-run";
import { assertRunsCanStart } from "@/lib/sandbox/status";
import { runBranchName } from "./branch-name";
import { addDependencies } from "./dependencies";
import { assertReviewer } from "./reviewer";
import { type CreateTaskInput, createTaskSchema } from "./schema";
import { agentsOfTasks, type TaskAgent } from "./task-agents";

/** Branch suffixes for the extra agents of a task: their names as slugs, numbered when two collide. */
export function agentSuffixes(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const slug =
      name
        .toLowerCase()
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 24)
        .replace(/-+$/, "") || "agent";
    const count = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, count);
    return count === 1 ? slug : `${slug}-${count}`;
  });
}

/**
 * Creates a task and queues its runs — one, or one per agent when assigned to several at once (each on
 * its own branch); workers pick them up at once, or once the tasks it depends on have merged.
 */
export async function createTask(actor: Actor, raw: CreateTaskInput) {
  authorize(actor, "tasks:assign");
  const input = createTaskSchema.parse(raw);
  const db = await getDb();
  const [repo] = await db
    .select()
    .from(repositories)
    .where(and(eq(repositories.id, input.repoId), eq(repositories.teamId, actor.teamId)));
  if (!repo) throw badRequest("That repository doesn't exist in your team.", "repoId");
  // The first agent gets the plain branch name; each other one a branch suffixed with its own name.
  const agentIds = [input.agentId, ...(input.alsoAgentIds ?? []).filter((id) => id !== input.agentId)];
  const uniqueIds = [...new Set(agentIds)];
  const found = await db
    .select()
    .from(agents)
    .where(and(inArray(agents.id, uniqueIds), eq(agents.teamId, actor.teamId)));
  const agent = found.find((a) => a.id === input.agentId);
  if (!agent) throw badRequest("That agent doesn't exist in your team.", "agentId");
  if (found.length !== uniqueIds.length)
    throw badRequest("One of the chosen agents doesn't exist in your team.", "alsoAgentIds");
  const chosen = uniqueIds.map((id) => found.find((a) => a.id === id) ?? agent);
  chosen.forEach(assertAgentCanRun);
  if (input.reviewerId) await assertReviewer(db, actor.teamId, input.reviewerId);
  // Refused early too (queueRuns checks again in its transaction): no branch listing for a doomed task.
  await assertWithinSpendCap(actor.teamId);
  await assertRunsCanStart();
  const baseBranch = input.baseBranch || repo.defaultBranch;
  // Another branch than the repository's default must exist there: the run would fail on it otherwise.
  if (baseBranch !== repo.defaultBranch) {
    const branches = await listRepoBranches(actor, repo.id);
    if (!branches.includes(baseBranch)) {
      throw badRequest(
        `${repo.name} has no branch named '${baseBranch}'. Choose one from the list.`,
        "baseBranch",
      );
    }
  }

  return db.transaction(async (tx) => {
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
    // Its runs are queued now and wait in the queue until these have merged (dependency-wait.ts).
    const dependsOn = await addDependencies(tx, actor, task, input.dependsOn);
    const suffixes = agentSuffixes(chosen.map((a) => a.name));
    const taskRuns = await queueRuns(
      tx,
      actor,
      task,
      chosen.map((each, index) => ({
        agent: each,
        branch: runBranchName(number, input.title, index === 0 ? undefined : suffixes[index]),
        kind: "initial" as const,
        budgets: {
          maxSteps: input.maxSteps,
          maxCostUsd: input.maxCostUsd,
          maxDurationSec: input.maxDurationMin ? Math.round(input.maxDurationMin * 60) : undefined,
        },
      })),
      {
        notice: "task",
        audit: (queued) => ({
          action: "task.assigned",
          object: { type: "task", id: task.id },
          details: {
            number,
            agent: agent.name,
            repo: repo.name,
            runId: queued[0]?.id,
            ...(dependsOn.length > 0 ? { dependsOn } : {}),
            ...(queued.length > 1
              ? { agents: chosen.map((a) => a.name), runIds: queued.map((r) => r.id) }
              : {}),
          },
        }),
      },
    );
    const run = taskRuns[0];
    if (!run) throw new Error("run insert returned nothing");
    return { task, run, runs: taskRuns };
  });
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
  const taskRuns = await db
    .select()
    .from(runs)
    .where(and(eq(runs.taskId, task.id), isAgentWorkRun))
    .orderBy(desc(runs.queuedAt));
  return { task, runs: taskRuns };
}

/** Every agent on the task, in the order they were assigned (the task's own agent when it has no run). */
export async function listTaskAgents(actor: Actor, task: Pick<Task, "id" | "agentId">): Promise<TaskAgent[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  const found = (await agentsOfTasks(db, actor.teamId, [task.id])).get(task.id);
  if (found?.length) return found;
  const [own] = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(and(eq(agents.id, task.agentId), eq(agents.teamId, actor.teamId)));
  return own ? [own] : [];
}
