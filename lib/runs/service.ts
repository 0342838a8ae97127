import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { isActiveRun, runEvents, runs } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { appendRunEvents } from "@/lib/events/append";
import { readRunEvents } from "@/lib/events/read";
import { payloadOf } from "@/lib/events/run-event";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { isUuid } from "@/lib/ids";
import { syncTaskStatus } from "@/lib/tasks/status-from-runs";

export async function getRun(actor: Actor, id: string) {
  authorize(actor, "team:read");
  if (!isUuid(id)) throw notFound("Run");
  const db = await getDb();
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, id), eq(runs.teamId, actor.teamId)));
  if (!run) throw notFound("Run");
  return run;
}

export async function listRunEvents(actor: Actor, runId: string, afterSeq = 0) {
  const run = await getRun(actor, runId);
  return readRunEvents(run.id, afterSeq);
}

/** Locks the run row for the rest of the transaction, so concurrent decisions are made one at a time. */
async function lockRun(
  tx: Parameters<Parameters<Awaited<ReturnType<typeof getDb>>["transaction"]>[0]>[0],
  actor: Actor,
  id: string,
) {
  const [run] = await tx
    .select()
    .from(runs)
    .where(and(eq(runs.id, id), eq(runs.teamId, actor.teamId)))
    .for("update");
  if (!run) throw notFound("Run");
  return run;
}

export async function cancelRun(actor: Actor, runId: string) {
  authorize(actor, "tasks:assign");
  await getRun(actor, runId);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, actor, runId);
    if (!isActiveRun(run)) throw conflict(`This run has already ended (${run.status}).`);
    const by = { id: actor.userId, name: actor.name };
    if (run.status === "queued") {
      // Never started: nothing to stop, it simply ends.
      await appendRunEvents(tx, run, [
        { type: "cancel_requested", payload: { by } },
        {
          type: "run_finished",
          payload: {
            status: "cancelled",
            stopReason: "cancelled",
            outcome: "failed",
            outcomeReason: "The run was cancelled before it started.",
          },
        },
      ]);
      await tx
        .update(runs)
        .set({
          status: "cancelled",
          stopReason: "cancelled",
          outcome: "failed",
          outcomeReason: "The run was cancelled before it started.",
          finishedAt: new Date(),
          cancelRequestedAt: new Date(),
        })
        .where(eq(runs.id, run.id));
      await syncTaskStatus(tx, run.taskId, {
        teamId: run.teamId,
        kind: "run",
        taskId: run.taskId,
        runId: run.id,
      });
    } else if (!run.cancelRequestedAt) {
      await appendRunEvents(tx, run, [{ type: "cancel_requested", payload: { by } }]);
      await tx.update(runs).set({ cancelRequestedAt: new Date() }).where(eq(runs.id, run.id));
    }
    await recordAudit(tx, actor, "run.cancelled", { type: "run", id: run.id });
    return run;
  });
}

export const messageSchema = z.object({
  text: z.string().trim().min(1, "Write a message.").max(20_000, "Keep messages under 20,000 characters."),
});

/** Steering: the message reaches the model at the run's next turn boundary. */
export async function sendRunMessage(actor: Actor, runId: string, raw: z.input<typeof messageSchema>) {
  authorize(actor, "tasks:assign");
  const { text } = messageSchema.parse(raw);
  await getRun(actor, runId);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, actor, runId);
    if (!isActiveRun(run)) throw conflict("This run has ended; start a new run to continue the work.");
    const [seq] = await appendRunEvents(tx, run, [
      { type: "user_message", payload: { text, kind: "steer", by: { id: actor.userId, name: actor.name } } },
    ]);
    return { seq };
  });
}

export const approvalSchema = z.object({
  toolUseId: z.string().min(1),
  approved: z.preprocess((value) => value === true || value === "true" || value === "approve", z.boolean()),
});

/** Approves or denies a risky command the run is waiting on; the first answer wins. */
export async function decideApproval(actor: Actor, runId: string, raw: z.input<typeof approvalSchema>) {
  authorize(actor, "runs:approve");
  const input = approvalSchema.parse(raw);
  await getRun(actor, runId);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, actor, runId);
    const events = await tx
      .select({
        seq: runEvents.seq,
        type: runEvents.type,
        payload: runEvents.payload,
        createdAt: runEvents.createdAt,
      })
      .from(runEvents)
      .where(eq(runEvents.runId, run.id))
      .orderBy(asc(runEvents.seq));
    const request = events.find(
      (e) =>
        e.type === "approval_requested" && payloadOf(e, "approval_requested").toolUseId === input.toolUseId,
    );
    if (!request) throw notFound("Approval request");
    const decided = events.find(
      (e) => e.type === "approval_decided" && payloadOf(e, "approval_decided").toolUseId === input.toolUseId,
    );
    if (decided) {
      const answer = payloadOf(decided, "approval_decided");
      throw conflict(`${answer.by.name} already ${answer.approved ? "approved" : "denied"} this command.`);
    }
    if (!isActiveRun(run)) throw conflict(`This run has already ended (${run.status}).`);
    const waitedMs = Math.max(0, Date.now() - request.createdAt.getTime());
    await appendRunEvents(tx, run, [
      {
        type: "approval_decided",
        payload: {
          toolUseId: input.toolUseId,
          approved: input.approved,
          by: { id: actor.userId, name: actor.name },
          waitedMs,
        },
      },
    ]);
    await notifyTeamChange(tx, { teamId: run.teamId, kind: "approval", taskId: run.taskId, runId: run.id });
    await recordAudit(
      tx,
      actor,
      input.approved ? "run.command_approved" : "run.command_denied",
      { type: "run", id: run.id },
      {
        command: payloadOf(request, "approval_requested").command,
      },
    );
    return { approved: input.approved };
  });
}
