// The ids an audit entry carries (its object, and details such as runId, taskId, userId) as names with
// links, so the log reads "run of #12 by Demo" instead of a uuid. Only rows of the reader's own team are
// resolved; an id that names nothing (deleted, or another team's) stays a short id.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { agents, apiTokens, repositories, reviewComments, reviews, runs, tasks, users } from "@/db/schema";
import { isUuid } from "@/lib/ids";

export interface AuditRef {
  label: string;
  href: string | null;
}

/** Every uuid in the rows' objects and details (one level deep, arrays included). */
export function auditIds(rows: Array<{ objectId: string | null; details: Record<string, unknown> }>) {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && isUuid(value)) ids.add(value.toLowerCase());
    else if (Array.isArray(value)) for (const item of value) add(item);
  };
  for (const row of rows) {
    add(row.objectId);
    for (const value of Object.values(row.details)) add(value);
  }
  return [...ids];
}

export async function resolveAuditRefs(db: Db, teamId: string, ids: string[]) {
  const refs: Record<string, AuditRef> = {};
  if (ids.length === 0) return refs;
  const [taskRows, runRows, agentRows, repoRows, userRows, reviewRows, commentRows, tokenRows] =
    await Promise.all([
      db
        .select({ id: tasks.id, number: tasks.number, title: tasks.title })
        .from(tasks)
        .where(and(eq(tasks.teamId, teamId), inArray(tasks.id, ids))),
      db
        .select({ id: runs.id, number: tasks.number, agent: agents.name })
        .from(runs)
        .innerJoin(tasks, eq(tasks.id, runs.taskId))
        .innerJoin(agents, eq(agents.id, runs.agentId))
        .where(and(eq(runs.teamId, teamId), inArray(runs.id, ids))),
      db
        .select({ id: agents.id, name: agents.name })
        .from(agents)
        .where(and(eq(agents.teamId, teamId), inArray(agents.id, ids))),
      db
        .select({ id: repositories.id, name: repositories.name })
        .from(repositories)
        .where(and(eq(repositories.teamId, teamId), inArray(repositories.id, ids))),
      // People who left the team still appear in its log: users have no team column to filter by, and
      // an id only gets here from this team's own entries.
      db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, ids)),
      db
        .select({ id: reviews.id, taskId: reviews.taskId, number: tasks.number })
        .from(reviews)
        .innerJoin(tasks, eq(tasks.id, reviews.taskId))
        .where(and(eq(reviews.teamId, teamId), inArray(reviews.id, ids))),
      db
        .select({ id: reviewComments.id, taskId: reviewComments.taskId, path: reviewComments.path })
        .from(reviewComments)
        .where(and(eq(reviewComments.teamId, teamId), inArray(reviewComments.id, ids))),
      db
        .select({ id: apiTokens.id, name: apiTokens.name })
        .from(apiTokens)
        .where(and(eq(apiTokens.teamId, teamId), inArray(apiTokens.id, ids))),
    ]);
  for (const t of taskRows) refs[t.id] = { label: `#${t.number} ${t.title}`, href: `/tasks/${t.id}` };
  for (const r of runRows) refs[r.id] = { label: `${r.agent}'s run on #${r.number}`, href: `/runs/${r.id}` };
  for (const a of agentRows) refs[a.id] = { label: a.name, href: `/agents/${a.id}` };
  for (const r of repoRows) refs[r.id] = { label: r.name, href: `/repos/${r.id}` };
  for (const u of userRows) refs[u.id] = { label: u.name || u.email, href: null };
  for (const r of reviewRows)
    refs[r.id] = { label: `review of #${r.number}`, href: `/tasks/${r.taskId}/review` };
  for (const c of commentRows)
    refs[c.id] = { label: `comment on ${c.path}`, href: `/tasks/${c.taskId}/review` };
  for (const t of tokenRows) refs[t.id] = { label: `token “${t.name}”`, href: null };
  return refs;
}
