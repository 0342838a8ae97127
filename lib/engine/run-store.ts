// The loop's writes, each fenced by the lease: the hot ones (a step's events and totals) are a single
// statement; status changes that also move the task are a transaction.
// The store also keeps what it wrote, so the loop reads the database only when someone else (a person
// steering or approving) has appended to the run since.
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { getDb } from "@/db";
import { type RunOutcome, type RunStatus, runs } from "@/db/schema";
import { appendRunEvents, appendRunEventsAtOnce } from "@/lib/events/append";
import { notifyTeamChange } from "@/lib/events/team-changes";
import type { NewRunEvent, RunEventPayloads } from "@/lib/events/types";
import { syncTaskStatus } from "@/lib/tasks/status-from-runs";
import type { StoredEvent } from "./conversation";
import { loadEvents } from "./run-context";

export class RunStore {
  /** Events this store appended that the loop has not read yet, and the highest seq they reach. */
  private unread: StoredEvent[] = [];
  private knownSeq = 0;
  /** The seq up to which the loop has read; -1 until its first read (which goes to the database). */
  private readSeq = -1;
  /** Someone else appended: the next read goes to the database. */
  private foreign = true;
  /** Tool calls this worker stored (so a call without a result is ours to run, not a resumed one). */
  private callsStoredHere = new Set<string>();

  constructor(
    readonly run: { id: string; teamId: string; taskId: string },
    readonly workerId: string,
  ) {}

  /** Every event after `afterSeq`, in order: from memory when only this store has written since. */
  async eventsAfter(afterSeq: number): Promise<StoredEvent[]> {
    if (!this.foreign && afterSeq === this.readSeq) {
      const events = this.unread;
      this.unread = [];
      this.readSeq = this.knownSeq;
      return events;
    }
    const events = await loadEvents(this.run.id, afterSeq);
    this.readSeq = Math.max(afterSeq, events.at(-1)?.seq ?? afterSeq);
    this.knownSeq = this.readSeq;
    this.unread = [];
    this.foreign = false;
    return events;
  }

  /** A notice of a stored event: one this store did not write makes the next read go to the database. */
  noticeSeq(seq: number): void {
    if (seq > this.knownSeq) this.foreign = true;
  }

  private remember(seqs: number[], events: NewRunEvent[]): void {
    const first = seqs[0];
    if (first === undefined) return;
    if (first !== this.knownSeq + 1) {
      this.foreign = true;
      return;
    }
    events.forEach((event, index) => {
      // The stored payload is JSON: keep the same shape (undefined fields dropped) in memory.
      const payload = JSON.parse(JSON.stringify(event.payload)) as unknown;
      this.unread.push({ seq: seqs[index] as number, type: event.type, payload, createdAt: new Date() });
    });
    this.knownSeq = seqs.at(-1) as number;
  }

  private async appendNow(events: NewRunEvent[], alsoSet?: ReturnType<typeof sql>): Promise<number[]> {
    const db = await getDb();
    const seqs = await appendRunEventsAtOnce(db, this.run, events, this.workerId, alsoSet);
    this.remember(seqs, events);
    return seqs;
  }

  private async appendInTx(tx: Tx, events: NewRunEvent[]): Promise<void> {
    const seqs = await appendRunEvents(tx, this.run, events, this.workerId);
    this.remember(seqs, events);
  }

  append(...events: NewRunEvent[]): Promise<number[]> {
    for (const event of events)
      if (event.type === "tool_call") this.callsStoredHere.add(event.payload.toolUseId);
    return this.appendNow(events);
  }

  storedCallHere(toolUseId: string): boolean {
    return this.callsStoredHere.has(toolUseId);
  }

  /** The task shows Running from the moment a worker takes the run. */
  async recordStart(payload: RunEventPayloads["run_started"]): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await this.appendInTx(tx, [{ type: "run_started", payload }]);
      await this.syncTaskStatus(tx);
    });
  }

  /**
   * The model's reply and, in the same statement, a tool_call for each tool it asks for: stored before
   * any of them runs, so a worker that dies mid-tool leaves a call without a result, which is re-run.
   */
  async recordAssistant(
    payload: RunEventPayloads["assistant_message"],
    toolCalls: RunEventPayloads["tool_call"][] = [],
  ): Promise<void> {
    const { usage } = payload;
    for (const call of toolCalls) this.callsStoredHere.add(call.toolUseId);
    await this.appendNow(
      [
        { type: "assistant_message", payload },
        ...toolCalls.map((call) => ({ type: "tool_call" as const, payload: call })),
      ],
      sql`steps = ${payload.step},
        input_tokens = input_tokens + ${usage.inputTokens},
        output_tokens = output_tokens + ${usage.outputTokens},
        cache_write_tokens = cache_write_tokens + ${usage.cacheWriteTokens},
        cache_read_tokens = cache_read_tokens + ${usage.cacheReadTokens},
        cost_usd = cost_usd + ${payload.costUsd},
        unpriced = unpriced or ${payload.unpriced},
        model_ms = model_ms + ${payload.modelMs}`,
    );
  }

  async recordToolResult(payload: RunEventPayloads["tool_result"]): Promise<void> {
    await this.appendNow([{ type: "tool_result", payload }], sql`tool_ms = tool_ms + ${payload.durationMs}`);
  }

  /**
   * Stored as an event too, so every watcher's status badge changes with it. `alongside` events (an
   * approval request) commit in the same transaction, so nobody sees the request before the status.
   */
  async setStatus(
    status: RunStatus,
    extra: { humanWaitMs?: number } = {},
    alongside: NewRunEvent[] = [],
  ): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await this.appendInTx(tx, [...alongside, { type: "status_changed", payload: { status } }]);
      await tx
        .update(runs)
        .set({
          status,
          ...(extra.humanWaitMs ? { humanWaitMs: sql`${runs.humanWaitMs} + ${extra.humanWaitMs}` } : {}),
        })
        .where(eq(runs.id, this.run.id));
      await this.syncTaskStatus(tx);
    });
  }

  /** How the run's commands are confined: an event for the timeline, and the run's own record. */
  async recordSandbox(payload: RunEventPayloads["sandbox"]): Promise<void> {
    await this.appendNow([{ type: "sandbox", payload }], sql`sandbox = ${JSON.stringify(payload)}::jsonb`);
  }

  async recordVerification(payload: RunEventPayloads["verification"]): Promise<void> {
    await this.appendNow(
      [{ type: "verification", payload }],
      sql`verify_exit_code = ${payload.exitCode}, verify_output = ${payload.output}`,
    );
  }

  async finish(
    status: "succeeded" | "failed" | "cancelled",
    details: {
      stopReason: string;
      error?: string;
      summary?: string;
      outcome: RunOutcome;
      reason: string | null;
    },
  ): Promise<void> {
    const db = await getDb();
    const { reason, ...payload } = details;
    await db.transaction(async (tx) => {
      await this.appendInTx(tx, [
        {
          type: "run_finished",
          payload: { status, ...payload, ...(reason ? { outcomeReason: reason } : {}) },
        },
      ]);
      await tx
        .update(runs)
        .set({
          status,
          stopReason: details.stopReason,
          error: details.error ?? null,
          outcome: details.outcome,
          outcomeReason: reason,
          finishedAt: new Date(),
          leaseOwner: null,
          leaseExpiresAt: null,
        })
        .where(eq(runs.id, this.run.id));
      await this.syncTaskStatus(tx);
    });
  }

  /** The task follows its runs (lib/tasks/status-from-runs.ts); every watcher of the team hears of it. */
  private async syncTaskStatus(tx: Tx): Promise<void> {
    await syncTaskStatus(tx, this.run.taskId);
    await notifyTeamChange(tx, {
      teamId: this.run.teamId,
      kind: "run",
      taskId: this.run.taskId,
      runId: this.run.id,
    });
  }
}
