import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, getDb, type Tx } from "@/db";
import { memberships, type Task, tasks, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { lockTask } from "@/lib/reviews/load";

/** A reviewer must be a member of the team who may review (developer or admin). */
export async function assertReviewer(
  db: Db | Tx,
  teamId: string,
  userId: string,
  field = "reviewerId",
): Promise<{ name: string }> {
  const [member] = await db
    .select({ role: memberships.role, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.userId, userId), eq(memberships.teamId, teamId)));
  if (!member) throw badRequest("The reviewer isn't a member of your team.", field);
  if (member.role === "viewer") throw badRequest("Viewers can't review; choose a developer or admin.", field);
  return { name: member.name };
}

/**
 * The id of the team member with this email (any case) who may review; a 400 naming `field` otherwise.
 * For API callers, who name people by email.
 */
export async function reviewerIdByEmail(db: Db | Tx, teamId: string, email: string, field: string) {
  const [member] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.teamId, teamId)))
    .where(sql`lower(${users.email}) = lower(${email})`);
  if (!member) throw badRequest(`No member of your team has the email ${email}.`, field);
  await assertReviewer(db, teamId, member.id, field);
  return member.id;
}

export const setReviewerSchema = z.object({
  reviewerId: z.string().trim().min(1).nullable(),
});
export type SetReviewerInput = z.input<typeof setReviewerSchema>;

/** A task that has ended has nobody left to review it. */
const CLOSED = new Set<Task["status"]>(["merged", "discarded"]);

/**
 * Names who reviews the task (or nobody): the new reviewer finds it in their inbox at once. Developers and
 * admins may change it while the task is open; the change is audited.
 */
export async function setTaskReviewer(actor: Actor, taskId: string, raw: SetReviewerInput): Promise<Task> {
  authorize(actor, "tasks:assign");
  const { reviewerId } = setReviewerSchema.parse(raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    if (CLOSED.has(task.status))
      throw conflict(`Task #${task.number} is ${task.status}; it needs no reviewer.`);
    if (task.reviewerId === reviewerId) return task;
    const to = reviewerId ? await assertReviewer(tx, actor.teamId, reviewerId) : null;
    const [from] = task.reviewerId
      ? await tx.select({ name: users.name }).from(users).where(eq(users.id, task.reviewerId))
      : [];
    const [updated] = await tx
      .update(tasks)
      .set({ reviewerId, updatedAt: new Date() })
      .where(eq(tasks.id, task.id))
      .returning();
    if (!updated) throw notFound("Task");
    await recordAudit(
      tx,
      actor,
      "task.reviewer_changed",
      { type: "task", id: task.id },
      { number: task.number, from: from?.name ?? null, to: to?.name ?? null },
    );
    await notifyTeamChange(tx, { teamId: actor.teamId, kind: "task", taskId: task.id });
    return updated;
  });
}
