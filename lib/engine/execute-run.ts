// Runs one claimed run to its end: worktree, setup, the loop, verification, and the final status.

import type Anthropic from "@anthropic-ai/sdk";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Run, runs } from "@/db/schema";
import { LeaseLostError } from "@/lib/events/append";
import { subscribe } from "@/lib/events/bus";
import { createDeltaPublisher } from "@/lib/events/deltas";
import { readRunEvents } from "@/lib/events/read";
import { payloadOf } from "@/lib/events/run-event";
import { removeRunRepo } from "@/lib/git/run-repo";
import { LEASE_SECONDS, releaseLease, renewLease } from "@/lib/queue/claim";
import type { Sandbox } from "@/lib/sandbox/sandbox";
import { finishJudge } from "./judge-finish";
import { runLoop } from "./loop";
import { ModelNotConfiguredError } from "./model-client";
import { judgeOutcome } from "./outcome";
import { loadRunContext, type RunContext } from "./run-context";
import { openRunSandbox } from "./run-sandbox";
import { RunStore } from "./run-store";
import { runBash } from "./tools/bash";

/** The worker is shutting down: the run stops here and another worker resumes it. */
export class WorkerShutdownError extends Error {
  constructor() {
    super("worker shutting down");
    this.name = "WorkerShutdownError";
  }
}

export class RunCancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "RunCancelledError";
  }
}

const VERIFY_TIMEOUT_MS = Number(process.env.FOREMAN_VERIFY_TIMEOUT_SEC ?? 600) * 1000;

async function cancelRequested(runId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ at: runs.cancelRequestedAt }).from(runs).where(eq(runs.id, runId));
  return Boolean(row?.at);
}

/** The repository's setup or test command, in the run's sandbox like every command of the run. */
async function runCommand(command: string, sandbox: Sandbox, signal: AbortSignal) {
  const result = await runBash({ command, sandbox, timeoutMs: VERIFY_TIMEOUT_MS, signal });
  return {
    command,
    exitCode: result.timedOut ? null : result.exitCode,
    output: result.output,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
  };
}

export async function executeRun(
  claimed: Run,
  options: {
    workerId: string;
    /** The client, or how to build one for the run's model (which throws when that model can't be called). */
    client: Anthropic | ((model: string) => Anthropic);
    shutdown?: AbortSignal;
  },
): Promise<void> {
  const store = new RunStore(
    { id: claimed.id, teamId: claimed.teamId, taskId: claimed.taskId },
    options.workerId,
  );
  const abort = new AbortController();
  let wakeWaiters = () => {};
  const checkCancel = async () => {
    if (!abort.signal.aborted && (await cancelRequested(claimed.id))) abort.abort(new RunCancelledError());
  };
  // Listening before the run is read: whatever is asked of it after that read (a cancellation, a
  // person's message) is heard, so the read itself answers "cancelled already?".
  const unsubscribe = await subscribe({ runId: claimed.id }, (notice) => {
    if (notice.seq === undefined) return;
    if (notice.writer !== options.workerId) store.noticeSeq(notice.seq);
    wakeWaiters();
    if (notice.types?.includes("cancel_requested")) checkCancel().catch(() => {});
  });
  let ctx: RunContext;
  try {
    ctx = await loadRunContext(claimed.id);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (ctx.run.cancelRequestedAt) abort.abort(new RunCancelledError());
  const onShutdown = () => abort.abort(new WorkerShutdownError());
  if (options.shutdown?.aborted) onShutdown();
  options.shutdown?.addEventListener("abort", onShutdown, { once: true });
  const deltas = createDeltaPublisher(ctx.run);

  const heartbeat = setInterval(
    () => {
      renewLease(ctx.run.id, options.workerId)
        .then(({ held, cancelRequested }) => {
          if (abort.signal.aborted) return;
          if (!held) abort.abort(new LeaseLostError(ctx.run.id));
          // A backstop for a missed notification: cancellation is also seen at each heartbeat (read by
          // the renewal's own statement).
          else if (cancelRequested) abort.abort(new RunCancelledError());
        })
        .catch((error) => console.error("[worker] lease renewal failed:", error.message));
    },
    (LEASE_SECONDS * 1000) / 3,
  );

  /** Waits for a person's answer, stored as an approval_decided event by the web or the API. */
  const requestApproval = async (toolUseId: string, command: string, pattern: string) => {
    const existing = await readRunEvents(ctx.run.id);
    const alreadyAsked = existing.some(
      (e) => e.type === "approval_requested" && payloadOf(e, "approval_requested").toolUseId === toolUseId,
    );
    await store.setStatus(
      "waiting_approval",
      {},
      alreadyAsked ? [] : [{ type: "approval_requested", payload: { toolUseId, command, pattern } }],
    );
    for (;;) {
      const events = await readRunEvents(ctx.run.id);
      const decided = events.find(
        (e) => e.type === "approval_decided" && payloadOf(e, "approval_decided").toolUseId === toolUseId,
      );
      if (decided) {
        const decision = payloadOf(decided, "approval_decided");
        await store.setStatus("running", { humanWaitMs: decision.waitedMs });
        return { approved: decision.approved, by: decision.by.name };
      }
      if (abort.signal.aborted) throw abort.signal.reason;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        wakeWaiters = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  let finished = false;
  let sandbox: Sandbox | undefined;
  try {
    // A model that can't be called (no ANTHROPIC_API_KEY) fails the run here, before any work starts.
    const client = typeof options.client === "function" ? options.client(ctx.run.model) : options.client;
    // A run that has stored nothing yet (its row counts its events) has nothing to read back.
    const events = ctx.run.lastSeq === 0 ? [] : await readRunEvents(ctx.run.id);
    store.seed(events);
    const resumed = events.some((e) => e.type === "run_started");
    await store.recordStart({
      workerId: options.workerId,
      resumed,
      branch: ctx.run.branch,
      baseBranch: ctx.task.baseBranch,
      attempt: claimed.attempts,
    });
    const opened = await openRunSandbox(ctx, store);
    sandbox = opened.sandbox;
    const runRepo = opened.runRepo;
    // A judge only reads: the setup command (which installs, builds, writes) is not run for it.
    if (ctx.repo.setupCommand && !ctx.judging && !events.some((e) => e.type === "setup")) {
      const setup = await runCommand(ctx.repo.setupCommand, sandbox, abort.signal);
      await store.append({ type: "setup", payload: setup });
      if (setup.exitCode !== 0) {
        const error = `The setup command failed (exit ${setup.exitCode}).`;
        await store.finish("failed", { stopReason: "setup", error, outcome: "failed", reason: error });
        finished = true;
        return;
      }
    }
    if (!events.some((e) => e.type === "user_message")) {
      await store.append({
        type: "user_message",
        payload: { text: ctx.run.prompt ?? ctx.task.prompt, kind: "task" },
      });
    }

    const outcome = await runLoop({
      ctx,
      store,
      client,
      runRepo,
      sandbox,
      signal: abort.signal,
      publishDelta: (delta) => deltas.publish(delta),
      dropPendingDeltas: () => deltas.dropPending(),
      requestApproval,
    });

    if (ctx.judging) {
      await finishJudge(store, ctx.judging, outcome);
      finished = true;
      return;
    }
    // Only a run that changed files has anything to verify (and to review).
    const changed = store.checkpointed;
    let verifyExitCode: number | null | undefined;
    if (outcome.status === "succeeded" && changed && ctx.repo.testCommand) {
      await store.setStatus("verifying");
      const verification = await runCommand(ctx.repo.testCommand, sandbox, abort.signal);
      await store.recordVerification(verification);
      verifyExitCode = verification.exitCode;
    }
    const judged = judgeOutcome({
      status: outcome.status,
      report: outcome.status === "succeeded" ? outcome.report : undefined,
      message: outcome.status === "succeeded" ? outcome.summary : outcome.error,
      changed,
      verifyExitCode,
    });
    await store.finish(
      outcome.status,
      outcome.status === "succeeded"
        ? { stopReason: outcome.stopReason, summary: outcome.summary, ...judged }
        : { stopReason: outcome.stopReason, error: outcome.error, ...judged },
    );
    finished = true;
  } catch (error) {
    const reason = abort.signal.aborted ? abort.signal.reason : error;
    if (reason instanceof LeaseLostError || error instanceof LeaseLostError) {
      console.warn(`[worker] ${options.workerId} lost run ${ctx.run.id} to another worker; stopping quietly`);
      return;
    }
    if (reason instanceof WorkerShutdownError) {
      await releaseLease(ctx.run.id, options.workerId);
      return;
    }
    if (reason instanceof RunCancelledError) {
      await store.finish("cancelled", {
        stopReason: "cancelled",
        ...judgeOutcome({ status: "cancelled", changed: false }),
      });
    } else {
      // A missing API key is a setting, not a crash: one line, no stack trace.
      if (error instanceof ModelNotConfiguredError)
        console.warn(`[worker] run ${ctx.run.id} failed: ${error.message}`);
      else console.error(`[worker] run ${ctx.run.id} failed:`, error);
      const message = error instanceof Error ? error.message : String(error);
      await store.finish("failed", {
        stopReason: "error",
        error: message,
        outcome: "failed",
        reason: message,
      });
    }
    finished = true;
  } finally {
    deltas.close();
    clearInterval(heartbeat);
    options.shutdown?.removeEventListener("abort", onShutdown);
    unsubscribe();
    await sandbox?.close().catch(() => {});
    if (finished) await removeRunRepo(ctx.run.id).catch(() => {});
  }
}
