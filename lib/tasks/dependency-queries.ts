// Reading dependencies: what a task depends on, and what it still waits on (the API's `waitingOn`, the
// board's "Waiting on #12", the task page).
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Db, getDb, type Tx } from "@/db";
import { OPEN_TASK_STATUSES, repositories, type TaskStatus, taskDependencies, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { DEPENDENCY_RELEASED_STATUSES } from "./dependency-wait";

export interface DependencyRef {
  taskId: string;
  number: number;
  title: string;
  status: TaskStatus;
}

const released: readonly string[] = DEPENDENCY_RELEASED_STATUSES;

/** A dependency still holds its dependent back: neither merged nor discarded. */
export const isWaitingOn = (dep: Pick<DependencyRef, "status">) => !released.includes(dep.status);

/** Each task's dependencies (by number), for tasks of the team; tasks without any are absent. */
export async function dependenciesOf(
  db: Db | Tx,
  teamId: string,
  taskIds: string[],
): Promise<Map<string, DependencyRef[]>> {
  const found = new Map<string, DependencyRef[]>();
  if (taskIds.length === 0) return found;
  const dep = alias(tasks, "dep");
  const rows = await db
    .select({
      of: taskDependencies.taskId,
      taskId: dep.id,
      number: dep.number,
      title: dep.title,
      status: dep.status,
    })
    .from(taskDependencies)
    .innerJoin(dep, eq(dep.id, taskDependencies.dependsOnTaskId))
    .where(and(inArray(taskDependencies.taskId, taskIds), eq(dep.teamId, teamId)))
    .orderBy(asc(dep.number));
  for (const { of, ...ref } of rows) found.set(of, [...(found.get(of) ?? []), ref]);
  return found;
}

/**
 * What each task still waits on: the dependencies neither merged nor discarded, of tasks that are still
 * open (an ended task waits on nothing). The API's shape: `[{taskId, number}]`.
 */
export function waitingOnOf(
  task: { status: string },
  deps: DependencyRef[] | undefined,
): { taskId: string; number: number }[] {
  if (!deps || !(OPEN_TASK_STATUSES as readonly string[]).includes(task.status)) return [];
  return deps.filter(isWaitingOn).map(({ taskId, number }) => ({ taskId, number }));
}

export interface DependencyCandidate {
  id: string;
  number: number;
  title: string;
  repoId: string;
  repoName: string;
  baseBranch: string;
}

/** The team's open tasks a new task may depend on (the form's picker), newest first. */
export async function listDependencyCandidates(actor: Actor): Promise<DependencyCandidate[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  return db
    .select({
      id: tasks.id,
      number: tasks.number,
      title: tasks.title,
      repoId: tasks.repoId,
      repoName: repositories.name,
      baseBranch: tasks.baseBranch,
    })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .where(and(eq(tasks.teamId, actor.teamId), inArray(tasks.status, [...OPEN_TASK_STATUSES])))
    .orderBy(desc(tasks.number))
    .limit(500);
}

/** The API's fields of each task: `dependsOn` and `waitingOn`, both `[{taskId, number}]`. */
export async function dependencyFieldsOf(
  db: Db | Tx,
  teamId: string,
  list: { id: string; status: string }[],
): Promise<
  Map<
    string,
    { dependsOn: { taskId: string; number: number }[]; waitingOn: { taskId: string; number: number }[] }
  >
> {
  const deps = await dependenciesOf(
    db,
    teamId,
    list.map((t) => t.id),
  );
  return new Map(
    list.map((task) => [
      task.id,
      {
        dependsOn: (deps.get(task.id) ?? []).map(({ taskId, number }) => ({ taskId, number })),
        waitingOn: waitingOnOf(task, deps.get(task.id)),
      },
    ]),
  );
}

/** A task's dependencies (its page): what it depends on, and what it still waits on. */
export interface TaskDependenciesView {
  dependsOn: DependencyRef[];
  waitingOn: { taskId: string; number: number }[];
}

export async function taskDependenciesView(
  actor: Actor,
  task: { id: string; status: string },
): Promise<TaskDependenciesView> {
  authorize(actor, "team:read");
  const deps = (await dependenciesOf(await getDb(), actor.teamId, [task.id])).get(task.id) ?? [];
  return { dependsOn: deps, waitingOn: waitingOnOf(task, deps) };
}

/** dependencyFieldsOf for the routes: the actor's team, read with the app's database. */
export async function taskDependencyFields(actor: Actor, list: { id: string; status: string }[]) {
  authorize(actor, "team:read");
  return dependencyFieldsOf(await getDb(), actor.teamId, list);
}
