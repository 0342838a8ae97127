// Task dependencies: task B depends on A when B should start only once A has merged. The rules of a new
// edge live here (same team, known, not discarded, the same base branch, no cycle); what happens when a
// dependency merges or is discarded is in dependency-events.ts, and the queue's wait in dependency-wait.ts.
//
// "The same base": a dependency must target the same base branch name as its dependent. In one repository
// that is the same base, so the dependent starts from the base with its dependency merged in. Across
// repositories (the API's change merged before the web app's that calls it) the branch names must match
// too: a task on `release` waiting for one on `main` would wait for a change that never reaches its base.
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import { repositories, type Task, taskDependencies, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { badRequest } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

export const MAX_DEPENDENCIES = 20;

/** `dependsOn`: task ids (as everywhere in the API); one value or a list (a form sends one per pick). */
export const dependsOnSchema = z.preprocess(
  (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string({ error: "dependsOn lists task ids." }).trim().max(200, "That isn't a task id."))
    .max(MAX_DEPENDENCIES, `A task can depend on at most ${MAX_DEPENDENCIES} others.`),
);

type DependentTask = Pick<Task, "id" | "teamId" | "number" | "repoId" | "baseBranch">;

/** Serialises every change to a team's dependency graph, so two edits can't make a cycle together. */
export async function lockDependencyGraph(tx: Tx, teamId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`task-deps:${teamId}`}))`);
}

/** A path through the graph that leads from `from` back to `target`, or null. */
function pathTo(edges: Map<string, string[]>, from: string, target: string): string[] | null {
  const seen = new Set<string>();
  const walk = (node: string): string[] | null => {
    if (node === target) return [node];
    if (seen.has(node)) return null;
    seen.add(node);
    for (const next of edges.get(node) ?? []) {
      const rest = walk(next);
      if (rest) return [node, ...rest];
    }
    return null;
  };
  return walk(from);
}

/** A refusal names a value the caller sent, quoted and cut short: it may be anything. */
const quoted = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/**
 * Checks `ids` as the dependencies of `task` (a 400 naming the first bad one) and returns them without
 * duplicates. Call with the graph locked (lockDependencyGraph) and the task's own edges about to be replaced.
 */
export async function checkDependencies(tx: Tx, task: DependentTask, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    if (!isUuid(id)) throw badRequest(`${quoted(id)} isn't a task id.`, "dependsOn");
  }
  if (unique.includes(task.id)) {
    throw badRequest(`A task can't depend on itself (#${task.number}).`, "dependsOn");
  }
  if (unique.length === 0) return [];
  const found = await tx
    .select({
      id: tasks.id,
      number: tasks.number,
      title: tasks.title,
      status: tasks.status,
      repoId: tasks.repoId,
      repoName: repositories.name,
      baseBranch: tasks.baseBranch,
    })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .where(and(inArray(tasks.id, unique), eq(tasks.teamId, task.teamId)))
    // Held until the edge commits: a merge or discard of a dependency (which locks it for update) waits,
    // then finds this task among its dependents instead of missing it.
    .for("share", { of: tasks });
  // Another team's task reads exactly like an unknown one: its existence is not ours to reveal.
  const missing = unique.find((id) => !found.some((t) => t.id === id));
  if (missing) throw badRequest(`There is no task ${missing} in your team.`, "dependsOn");
  const [own] = await tx
    .select({ name: repositories.name })
    .from(repositories)
    .where(eq(repositories.id, task.repoId));
  for (const dep of found) {
    if (dep.status === "discarded") {
      throw badRequest(
        `#${dep.number} (${dep.title}) was discarded, so it will never merge: depend on another task.`,
        "dependsOn",
      );
    }
    if (dep.baseBranch !== task.baseBranch) {
      const same = dep.repoId === task.repoId;
      const theirs = same ? dep.baseBranch : `${dep.baseBranch} of ${dep.repoName}`;
      const ours = same ? task.baseBranch : `${task.baseBranch} of ${own?.name ?? "its repository"}`;
      throw badRequest(
        `#${dep.number} merges into ${theirs} and this task starts from ${ours}: a dependency must ` +
          "target the same base branch, or its merge never reaches this task's base.",
        "dependsOn",
      );
    }
  }
  // A cycle needs an edge into this task: only a task that already exists can close one.
  const edges = new Map<string, string[]>();
  const rows = await tx
    .select({ from: taskDependencies.taskId, to: taskDependencies.dependsOnTaskId })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.taskId))
    .where(eq(tasks.teamId, task.teamId));
  for (const row of rows) {
    if (row.from === task.id) continue; // replaced by `unique`
    edges.set(row.from, [...(edges.get(row.from) ?? []), row.to]);
  }
  for (const id of unique) {
    const path = pathTo(edges, id, task.id);
    if (!path) continue;
    const cycle = [task.id, ...path];
    const numbers = await tx
      .select({ id: tasks.id, number: tasks.number })
      .from(tasks)
      .where(inArray(tasks.id, cycle));
    const label = (id: string) => `#${numbers.find((n) => n.id === id)?.number ?? "?"}`;
    throw badRequest(
      `That would make a cycle: ${cycle.map(label).join(" → ")}. Tasks that wait on each other never start.`,
      "dependsOn",
    );
  }
  return unique;
}

/** Checks and stores the dependencies of a task just created (createTask's transaction). */
export async function addDependencies(
  tx: Tx,
  _actor: Actor,
  task: DependentTask,
  ids: string[] | undefined,
): Promise<string[]> {
  if (!ids || ids.length === 0) return [];
  await lockDependencyGraph(tx, task.teamId);
  const checked = await checkDependencies(tx, task, ids);
  if (checked.length > 0) {
    await tx
      .insert(taskDependencies)
      .values(checked.map((dependsOnTaskId) => ({ taskId: task.id, dependsOnTaskId })));
  }
  return checked;
}
