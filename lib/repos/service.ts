import "server-only";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { type Repository, repositories, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { type AppError, badRequest, conflict, notFound } from "@/lib/errors";
import { GitSourceError, inspectSource, type SourceInfo } from "@/lib/git/remote";
import { isUuid } from "@/lib/ids";
import { NO_NETWORK, networkOf, sameNetwork, settleNetwork } from "./network";
import { type RepoInput, type RepoPatch, repoInputSchema, repoPatchSchema } from "./schema";
import { assertSourceAllowed } from "./source-policy";

const MAX_LISTED_BRANCHES = 15;

export async function listRepos(actor: Actor): Promise<Repository[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  return db
    .select()
    .from(repositories)
    .where(eq(repositories.teamId, actor.teamId))
    .orderBy(asc(sql`lower(${repositories.name})`));
}

/** Another team's repository is "not found", exactly like one that doesn't exist. */
export async function getRepo(actor: Actor, id: string): Promise<Repository> {
  authorize(actor, "team:read");
  if (!isUuid(id)) throw notFound("Repository");
  const db = await getDb();
  const [repo] = await db
    .select()
    .from(repositories)
    .where(and(eq(repositories.id, id), eq(repositories.teamId, actor.teamId)));
  if (!repo) throw notFound("Repository");
  return repo;
}

export async function createRepo(actor: Actor, raw: RepoInput): Promise<Repository> {
  authorize(actor, "repos:write");
  const input = repoInputSchema.parse(raw);
  const network = settleNetwork(actor, NO_NETWORK, input);
  const db = await getDb();
  // Cheap checks first; the git check can take seconds and never runs inside a transaction.
  await assertNameFree(db, actor, input.name);
  await checkSourcePolicy(actor, input.source);
  const checked = await checkSource(input.source, input.defaultBranch);

  const repo = await withUniqueName(input.name, () =>
    db.transaction(async (tx) => {
      await assertNameFree(tx, actor, input.name);
      const [row] = await tx
        .insert(repositories)
        .values({
          teamId: actor.teamId,
          name: input.name,
          source: checked.source,
          defaultBranch: checked.defaultBranch,
          setupCommand: input.setupCommand,
          testCommand: input.testCommand,
          mergeStrategy: input.mergeStrategy,
          ...network,
          createdBy: actor.userId,
        })
        .returning();
      if (!row) throw new Error("repository insert returned nothing");
      await recordAudit(
        tx,
        actor,
        "repo.created",
        { type: "repository", id: row.id },
        { name: row.name, source: row.source, defaultBranch: row.defaultBranch, ...networkOf(row) },
      );
      return row;
    }),
  );
  return repo;
}

/** Changes a repository: a field left out (undefined) keeps its value. */
export async function updateRepo(actor: Actor, id: string, raw: RepoPatch): Promise<Repository> {
  authorize(actor, "repos:write");
  const current = await getRepo(actor, id);
  const patch = repoPatchSchema.parse(raw);
  const name = patch.name ?? current.name;
  const network = settleNetwork(actor, networkOf(current), patch);
  const db = await getDb();
  await assertNameFree(db, actor, name, current.id);

  // The source is always checked against the source policy (cheap, local), but only a changed source or
  // branch is read with git again: a host that is down shouldn't block editing the test command of a
  // repository registered long ago.
  const source = patch.source ?? current.source;
  const defaultBranch = patch.defaultBranch ?? current.defaultBranch;
  await checkSourcePolicy(actor, source);
  const checked =
    source !== current.source || defaultBranch !== current.defaultBranch
      ? await checkSource(source, defaultBranch)
      : { source: current.source, defaultBranch: current.defaultBranch };

  const next = {
    name,
    source: checked.source,
    defaultBranch: checked.defaultBranch,
    setupCommand: patch.setupCommand === undefined ? current.setupCommand : patch.setupCommand,
    testCommand: patch.testCommand === undefined ? current.testCommand : patch.testCommand,
    mergeStrategy: patch.mergeStrategy ?? current.mergeStrategy,
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(next) as (keyof typeof next)[]) {
    if (next[key] !== current[key]) changes[key] = { from: current[key], to: next[key] };
  }
  const networkChanged = !sameNetwork(network, networkOf(current));

  return withUniqueName(name, () =>
    db.transaction(async (tx) => {
      await assertNameFree(tx, actor, name, current.id);
      const [row] = await tx
        .update(repositories)
        .set({ ...next, ...network, updatedAt: new Date() })
        .where(and(eq(repositories.id, current.id), eq(repositories.teamId, actor.teamId)))
        .returning();
      if (!row) throw notFound("Repository");
      const object = { type: "repository", id: row.id };
      // A policy change has an action of its own, so admins can find every one in the audit log.
      if (networkChanged) {
        await recordAudit(tx, actor, "repo.network_changed", object, {
          from: networkOf(current),
          to: network,
        });
      }
      if (!networkChanged || Object.keys(changes).length > 0) {
        await recordAudit(tx, actor, "repo.updated", object, { changes });
      }
      return row;
    }),
  );
}

export async function deleteRepo(actor: Actor, id: string): Promise<void> {
  authorize(actor, "repos:write");
  const repo = await getRepo(actor, id);
  const db = await getDb();
  try {
    await db.transaction(async (tx) => {
      const [used] = await tx
        .select({ n: count() })
        .from(tasks)
        .where(and(eq(tasks.teamId, actor.teamId), eq(tasks.repoId, repo.id)));
      if (used && used.n > 0) throw tasksStillReference(repo.name, used.n);
      const deleted = await tx
        .delete(repositories)
        .where(and(eq(repositories.id, repo.id), eq(repositories.teamId, actor.teamId)))
        .returning({ id: repositories.id });
      if (deleted.length === 0) throw notFound("Repository");
      await recordAudit(
        tx,
        actor,
        "repo.deleted",
        { type: "repository", id: repo.id },
        { name: repo.name, source: repo.source },
      );
    });
  } catch (error) {
    // A task created between the count and the delete trips the foreign key instead.
    if (pgCode(error) === "23503") throw tasksStillReference(repo.name);
    throw error;
  }
}

function tasksStillReference(name: string, n?: number): AppError {
  const what = n === undefined ? "Tasks use it" : n === 1 ? "1 task uses it" : `${n} tasks use it`;
  return conflict(
    `Can't delete ${name}: ${what}, and Foreman keeps every task's history. Only a repository without tasks can be deleted.`,
  );
}

/** Local sources must stay out of Foreman's own folders (and inside FOREMAN_REPO_ROOTS when set). */
async function checkSourcePolicy(actor: Actor, source: string): Promise<void> {
  try {
    await assertSourceAllowed(source, { teamId: actor.teamId });
  } catch (error) {
    if (error instanceof GitSourceError) throw badRequest(error.message, "source");
    throw error;
  }
}

/** Reads the source with git and settles the branch: the one asked for, or the source's HEAD branch. */
async function checkSource(
  source: string,
  wanted: string,
): Promise<{ source: string; defaultBranch: string }> {
  let info: SourceInfo & { source: { location: string } };
  try {
    info = await inspectSource(source);
  } catch (error) {
    if (error instanceof GitSourceError) throw badRequest(error.message, "source");
    throw error;
  }
  const branch = wanted || info.headBranch;
  if (!branch) {
    throw badRequest(
      `The repository's HEAD doesn't point to a branch, so enter the default branch. It has: ${listBranches(info.branches)}`,
      "defaultBranch",
    );
  }
  if (!info.branches.includes(branch)) {
    throw badRequest(
      `Branch '${branch}' not found. The repository has: ${listBranches(info.branches)}`,
      "defaultBranch",
    );
  }
  return { source: info.source.location, defaultBranch: branch };
}

function listBranches(branches: string[]): string {
  const shown = branches.slice(0, MAX_LISTED_BRANCHES).join(", ");
  const more = branches.length - MAX_LISTED_BRANCHES;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

type Queryable = Pick<Tx, "select">;

/** Names are unique per team regardless of case, so "API" and "api" can't both exist. */
async function assertNameFree(q: Queryable, actor: Actor, name: string, exceptId?: string) {
  const [taken] = await q
    .select({ id: repositories.id })
    .from(repositories)
    .where(
      and(
        eq(repositories.teamId, actor.teamId),
        sql`lower(${repositories.name}) = lower(${name})`,
        exceptId ? ne(repositories.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (taken) throw nameTaken(name);
}

const nameTaken = (name: string) =>
  conflict(`Your team already has a repository named ${name}. Choose another name.`, "name");

/** Two people racing to the same name: the unique constraint decides, the loser gets the same message. */
async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (pgCode(error) === "23505") throw nameTaken(name);
    throw error;
  }
}

/** The PostgreSQL error code, whether the driver's error arrives bare or wrapped by drizzle. */
function pgCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}
