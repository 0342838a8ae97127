// The loop's writes: each one a transaction that appends events (fenced by the lease) and updates totals.
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type RunStatus, runs, type TaskStatus, tasks } from "@/db/schema";
import { appendRunEvents } from "@/lib/events/append";
import type { NewRunEvent, RunEventPayloads } from "@/lib/events/types";

export class RunStore {
  constructor(
    readonly run: { id: string; teamId: string; taskId: string },
    readonly workerId: string,
  ) {}

  async append(...events: NewRunEvent[]): Promise<number[]> {
    const db = await getDb();
    return db.transaction((tx) => appendRunEvents(tx, this.run, events, this.workerId));
  }

  async recordAssistant(payload: RunEventPayloads["assistant_message"]): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await appendRunEvents(tx, this.run, [{ type: "assistant_message", payload }], this.workerId);
      await tx
        .update(runs)
        .set({
          steps: payload.step,
          inputTokens: sql`${runs.inputTokens} + ${payload.usage.inputTokens}`,
          outputTokens: sql`${runs.outputTokens} + ${payload.usage.outputTokens}`,
          cacheWriteTokens: sql`${runs.cacheWriteTokens} + ${payload.usage.cacheWriteTokens}`,
          cacheReadTokens: sql`${runs.cacheReadTokens} + ${payload.usage.cacheReadTokens}`,
          costUsd: sql`${runs.costUsd} + ${payload.costUsd}`,
          unpriced: sql`${runs.unpriced} or ${payload.unpriced}`,
          modelMs: sql`${runs.modelMs} + ${payload.modelMs}`,
        })
        .where(eq(runs.id, this.run.id));
    });
  }

  async recordToolResult(payload: RunEventPayloads["tool_result"]): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await appendRunEvents(tx, this.run, [{ type: "tool_result", payload }], this.workerId);
      await tx
        .update(runs)
        .set({ toolMs: sql`${runs.toolMs} + ${payload.durationMs}` })
        .where(eq(runs.id, this.run.id));
    });
  }

  async setStatus(status: RunStatus, extra: { humanWaitMs?: number } = {}): Promise<void> {
    const db = await getDb();
    await db
      .update(runs)
      .set({
        status,
        ...(extra.humanWaitMs ? { humanWaitMs: sql`${runs.humanWaitMs} + ${extra.humanWaitMs}` } : {}),
      })
      .where(and(eq(runs.id, this.run.id), eq(runs.leaseOwner, this.workerId)));
    await this.syncTaskStatus(status === "waiting_approval" ? "needs_human" : "running");
  }

  async recordVerification(payload: RunEventPayloads["verification"]): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await appendRunEvents(tx, this.run, [{ type: "verification", payload }], this.workerId);
      await tx
        .update(runs)
        .set({ verifyExitCode: payload.exitCode, verifyOutput: payload.output })
        .where(eq(runs.id, this.run.id));
    });
  }

  async finish(
    status: "succeeded" | "failed" | "cancelled",
    details: { stopReason: string; error?: string; summary?: string },
  ): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await appendRunEvents(
        tx,
        this.run,
        [{ type: "run_finished", payload: { status, ...details } }],
        this.workerId,
      );
      await tx
        .update(runs)
        .set({
          status,
          stopReason: details.stopReason,
          error: details.error ?? null,
          finishedAt: new Date(),
          leaseOwner: null,
          leaseExpiresAt: null,
        })
        .where(eq(runs.id, this.run.id));
    });
    const taskStatus: TaskStatus = status === "succeeded" ? "in_review" : status;
    await this.syncTaskStatus(taskStatus);
  }

  /** The task follows its latest run, unless the task has been closed meanwhile. */
  private async syncTaskStatus(status: TaskStatus): Promise<void> {
    const db = await getDb();
    await db
      .update(tasks)
      .set({ status, updatedAt: new Date() })
      .where(and(eq(tasks.id, this.run.taskId), sql`${tasks.status} not in ('merged', 'discarded')`));
  }
}
