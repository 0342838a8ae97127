// The loop's writes, each fenced by the lease: the events and the run row's changes are a single
// statement (the steps' appends shared with other runs' appends of the process, lib/events/append-batch.ts);
// status changes that also move the task are a transaction around it.
// The store also keeps what it wrote, so the loop reads the database only when someone else (a person
// steering or approving) has appended to the run since.
import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { getDb } from "@/db";
import type { RunOutcome, RunStatus } from "@/db/schema";
import { appendRunEventsAtOnce } from "@/lib/events/append";
import { appendRunEventsBatched, type StepTotals } from "@/lib/events/append-batch";
import { readRunEvents } from "@/lib/events/read";
import type { RunEvent } from "@/lib/events/run-event";
import type { NewRunEvent, RunEventPayloads } from "@/lib/events/types";
import { syncTaskStatus } from "@/lib/tasks/status-from-runs";

export class RunStore {
  /** Events this store appended that the loop has not read yet, and the highest seq they reach. */
  private unread: RunEvent[] = [];
  private knownSeq = 0;
  /** The seq up to which the loop has read; -1 until its first read (which goes to the database). */
  private readSeq = -1;
  /** Someone else appended: the next read goes to the database. */
  private foreign = true;
  /** The highest seq someone else's notice has named. */
  private noticedSeq = 0;
  /**
   * Whether the team has a monthly spend cap, as the last write saw it (undefined: not known, ask).
   * The loop checks the cap before every model call; without a cap there is nothing to sum.
   */
  spendCapSet: boolean | undefined;
  /** Tool calls this worker stored (so a call without a result is ours to run, not a resumed one). */
  private callsStoredHere = new Set<string>();
  /**
   * Whether the run has a checkpoint (it changed files), from every event this store has read or
   * written: only the worker holding the lease writes checkpoints, so none can come from elsewhere.
   */
  checkpointed = false;

  private see(events: { type: string }[]): void {
    if (!this.checkpointed) this.checkpointed = events.some((event) => event.type === "checkpoint");
  }

  constructor(
    readonly run: { id: string; teamId: string; taskId: string },
    readonly workerId: string,
  ) {}

  /** Every event after `afterSeq`, in order: from memory when only this store has written since. */
  async eventsAfter(afterSeq: number): Promise<RunEvent[]> {
    if (!this.foreign && afterSeq === this.readSeq) {
      const events = this.unread;
      this.unread = [];
      this.readSeq = this.knownSeq;
      return events;
    }
    const events = await readRunEvents(this.run.id, afterSeq);
    this.see(events);
    this.readSeq = Math.max(afterSeq, events.at(-1)?.seq ?? afterSeq);
    this.knownSeq = this.readSeq;
    this.unread = [];
    this.foreign = false;
    return events;
  }

  /** A notice of a stored event: one this store did not write makes the next read go to the database. */
  noticeSeq(seq: number): void {
    this.noticedSeq = Math.max(this.noticedSeq, seq);
    if (seq > this.knownSeq) this.foreign = true;
  }

  /**
   * The run's events as the caller has just read them all (listening already): the loop's first read is
   * then served from memory, unless someone else's notice names a later event than this read holds.
   */
  seed(events: RunEvent[]): void {
    this.see(events);
    this.unread = [...events];
    this.readSeq = 0;
    this.knownSeq = events.at(-1)?.seq ?? 0;
    this.foreign = this.noticedSeq > this.knownSeq;
  }

  private remember(seqs: number[], events: NewRunEvent[]): void {
    const first = seqs[0];
    if (first === undefined) return;
    this.see(events);
    if (first !== this.knownSeq + 1) {
      this.foreign = true;
      return;
    }
    events.forEach((event, index) => {
      // The stored payload is JSON: keep the same shape (undefined fields dropped) in memory.
      const payload = JSON.parse(JSON.stringify(event.payload)) as RunEvent["payload"];
      this.unread.push({ seq: seqs[index] as number, type: event.type, payload, createdAt: new Date() });
    });
    this.knownSeq = seqs.at(-1) as number;
  }

  /** Appends in a statement of its own, with `alsoSet` applied to the run's row in it (in `tx` if given). */
  private async appendNow(events: NewRunEvent[], alsoSet?: SQL, tx?: Tx): Promise<number[]> {
    const db = tx ?? (await getDb());
    const { seqs, spendCapSet } = await appendRunEventsAtOnce(db, this.run, events, this.workerId, alsoSet);
    this.remember(seqs, events);
    this.spendCapSet = spendCapSet;
    return seqs;
  }

  /** Appends outside a transaction: in one statement with other runs' appends of this process (append-batch.ts). */
  private async appendBatched(events: NewRunEvent[], totals?: StepTotals): Promise<number[]> {
    const { seqs, spendCapSet } = await appendRunEventsBatched({
      run: this.run,
      events,
      leaseOwner: this.workerId,
      ...(totals ? { totals } : {}),
    });
    this.remember(seqs, events);
    this.spendCapSet = spendCapSet;
    return seqs;
  }

  append(...events: NewRunEvent[]): Promise<number[]> {
    for (const event of events)
      if (event.type === "tool_call") this.callsStoredHere.add(event.payload.toolUseId);
    return this.appendBatched(events);
  }

  storedCallHere(toolUseId: string): boolean {
    return this.callsStoredHere.has(toolUseId);
  }

  /** The task shows Running from the moment a worker takes the run. */
  async recordStart(payload: RunEventPayloads["run_started"]): Promise<void> {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await this.appendNow([{ type: "run_started", payload }], undefined, tx);
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
    await this.appendBatched(
      [
        { type: "assistant_message", payload },
        ...toolCalls.map((call) => ({ type: "tool_call" as const, payload: call })),
      ],
      {
        steps: payload.step,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cacheWriteTokens: usage.cacheWriteTokens,
        cacheReadTokens: usage.cacheReadTokens,
        costUsd: payload.costUsd,
        unpriced: payload.unpriced,
        modelMs: payload.modelMs,
      },
    );
  }

  async recordToolResult(payload: RunEventPayloads["tool_result"]): Promise<void> {
    await this.appendBatched([{ type: "tool_result", payload }], { toolMs: payload.durationMs });
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
      await this.appendNow(
        [...alongside, { type: "status_changed", payload: { status } }],
        extra.humanWaitMs
          ? sql`status = ${status}, human_wait_ms = human_wait_ms + ${extra.humanWaitMs}`
          : sql`status = ${status}`,
        tx,
      );
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
      /** Null for a judge's run that answered: it brought a ranking, not work (see RUN_OUTCOMES). */
      outcome: RunOutcome | null;
      reason: string | null;
    },
    /** Written in the same transaction as the run's end (a judge's ranking). */
    alongside?: (tx: Tx) => Promise<void>,
  ): Promise<void> {
    const db = await getDb();
    const { reason, ...payload } = details;
    await db.transaction(async (tx) => {
      // The end event and the run's end in one statement: nobody reads one without the other.
      await this.appendNow(
        [
          {
            type: "run_finished",
            payload: {
              status,
              ...payload,
              outcome: payload.outcome ?? undefined,
              ...(reason ? { outcomeReason: reason } : {}),
            },
          },
        ],
        sql`status = ${status}, stop_reason = ${details.stopReason}, error = ${details.error ?? null},
          outcome = ${details.outcome}, outcome_reason = ${reason},
          finished_at = now(), lease_owner = null, lease_expires_at = null`,
        tx,
      );
      await alongside?.(tx);
      await this.syncTaskStatus(tx);
    });
  }

  /** The task follows its runs (lib/tasks/status-from-runs.ts); every watcher of the team hears of it. */
  private async syncTaskStatus(tx: Tx): Promise<void> {
    await syncTaskStatus(tx, this.run.taskId, {
      teamId: this.run.teamId,
      kind: "run",
      taskId: this.run.taskId,
      runId: this.run.id,
    });
  }
}
