// Landing the head of a merge queue: the task is checked again (it may have been discarded or sent back
// while it waited), the merged tree verified when the branch's own tests passed, then pushed. The git work
// happens outside any transaction (it can take minutes); the task and the entry are updated together after.
import { eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { agents, type MergeQueueEntry, type Run, type Task, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { AppError, conflict } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { deleteBranch, type MergeOutcome, MergeRefusedError, mergeBranch } from "@/lib/git/merge";
import { loadLines, lockTask, refuseUnless, refuseWhileAnyRunning, repoOf } from "@/lib/reviews/load";
import { markTaskMerged } from "@/lib/reviews/mark-merged";
import { mergeVerificationPrompt } from "@/lib/reviews/prompts";
import { queueContinuation } from "@/lib/reviews/service";
import { finishEntry } from "./queue";
import { shouldVerify, verifier } from "./verify";

export type MergeTaskResult =
  /** keptBranches: branches the source refused to delete (checked out there). */
  | { status: "merged"; task: Task; sha: string; closedBranches: string[]; keptBranches: string[] }
  | { status: "conflict"; task: Task; files: string[] }
  | { status: "verification_failed"; task: Task; exitCode: number | null; output: string };

function mergeMessage(task: Task, branch: string, strategy: string): string {
  return strategy === "squash"
    ? `${task.title} (#${task.number})\n\nSquashed from ${branch} by Foreman.`
    : `Merge task #${task.number}: ${task.title}\n\nBranch ${branch}, merged by Foreman.`;
}

/** The task as it is now, still mergeable on the entry's branch; throws (and the entry fails) otherwise. */
async function recheck(actor: Actor, entry: MergeQueueEntry) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, entry.taskId);
    refuseUnless(task, ["approved", "conflict"], "merged before it is approved");
    const { runs: taskRuns, lines } = await loadLines(tx, task);
    refuseWhileAnyRunning(taskRuns);
    const line = lines.find((l) => l.branch === entry.branch);
    if (!line) throw conflict(`The branch ${entry.branch} is no longer part of this task.`);
    // Only one agent's work is merged: the other agents' branches are closed with it.
    const others = lines.filter((l) => l.branch !== line.branch).map((l) => l.branch);
    return { task, repo: await repoOf(tx, task), run: line.latest, others };
  });
}

/** Lands a claimed (landing) entry in the actor's name; the entry always ends, whatever happens. */
export async function landEntry(actor: Actor, entry: MergeQueueEntry): Promise<MergeTaskResult> {
  const db = await getDb();
  let outcome: MergeOutcome;
  let loaded: Awaited<ReturnType<typeof recheck>>;
  try {
    loaded = await recheck(actor, entry);
    const { task, repo, run } = loaded;
    const verify = shouldVerify({ repo, run, requested: entry.verify }) ? verifier(repo) : undefined;
    outcome = await mergeBranch({
      repo,
      baseBranch: task.baseBranch,
      branch: run.branch,
      strategy: repo.mergeStrategy,
      message: mergeMessage(task, run.branch, repo.mergeStrategy),
      author: { name: actor.name, email: actor.email },
      verify,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.transaction(async (tx) => {
      await finishEntry(tx, entry, { status: "failed", output: message });
      if (error instanceof MergeRefusedError) {
        await recordAudit(
          tx,
          actor,
          "task.merge_refused",
          { type: "task", id: entry.taskId },
          { branch: entry.branch, reason: message, code: error.reason },
        );
      }
    });
    if (error instanceof MergeRefusedError) {
      throw error.reason === "dirty_worktree" ? new AppError("dirty_worktree", message) : conflict(message);
    }
    throw error;
  }

  const { task, repo, run, others } = loaded;
  const common = { number: task.number, baseBranch: task.baseBranch, branch: run.branch };
  const updated = await db.transaction(async (tx) => {
    const locked = await lockTask(tx, actor, task.id);
    if (outcome.status === "merged") {
      await finishEntry(tx, entry, { status: "merged", mergeSha: outcome.sha });
      return markTaskMerged(tx, actor, locked, {
        sha: outcome.sha,
        head: outcome.head,
        branch: run.branch,
        strategy: repo.mergeStrategy,
        verified: Boolean(repo.testCommand) && shouldVerify({ repo, run, requested: entry.verify }),
        closedBranches: others,
      });
    }
    if (outcome.status === "conflict") {
      await finishEntry(tx, entry, { status: "conflict", output: outcome.files.join("\n") });
      await recordAudit(
        tx,
        actor,
        "task.merge_conflict",
        { type: "task", id: task.id },
        { ...common, files: outcome.files },
      );
      const [row] = await tx
        .update(tasks)
        .set({
          status: "conflict",
          conflictFiles: outcome.files,
          // Remembered for the parallel-work metrics: this merge really conflicted.
          mergeConflictedAt: locked.mergeConflictedAt ?? new Date(),
          updatedAt: new Date(),
        })
        .where(eq(tasks.id, task.id))
        .returning();
      await notifyTeamChange(tx, { teamId: task.teamId, kind: "task", taskId: task.id });
      return row ?? locked;
    }
    await finishEntry(tx, entry, { status: "refused", exitCode: outcome.exitCode, output: outcome.output });
    await recordAudit(
      tx,
      actor,
      "task.merge_verification_failed",
      { type: "task", id: task.id },
      { ...common, exitCode: outcome.exitCode, branchPassed: run.verifyExitCode === 0 },
    );
    if (!entry.fixOnRefusal) return locked;
    return askAgentToFix(tx, actor, locked, run, outcome);
  });

  if (outcome.status === "merged") {
    // The work is in the base branch now; the run branch, and the other agents' branches of the task,
    // have served their purpose.
    const kept: string[] = [];
    for (const branch of [run.branch, ...others]) {
      if (!(await deleteBranch(repo, branch).catch(() => false))) kept.push(branch);
    }
    return { status: "merged", task: updated, sha: outcome.sha, closedBranches: others, keptBranches: kept };
  }
  if (outcome.status === "conflict") return { status: "conflict", task: updated, files: outcome.files };
  return { status: "verification_failed", task: updated, exitCode: outcome.exitCode, output: outcome.output };
}

/** The refused branch goes back to its agent with the failing output; the fix is reviewed again. */
async function askAgentToFix(
  tx: Tx,
  actor: Actor,
  task: Task,
  run: Run,
  failed: { exitCode: number | null; output: string },
): Promise<Task> {
  const [agent] = await tx.select().from(agents).where(eq(agents.id, run.agentId));
  const prompt = mergeVerificationPrompt({
    baseBranch: task.baseBranch,
    exitCode: failed.exitCode,
    output: failed.output,
    agentName: agent?.name ?? "Foreman agent",
  });
  await queueContinuation(tx, actor, task, run, "resolve_conflict", prompt, (queued) => ({
    action: "task.merge_fix_requested",
    object: { type: "task", id: task.id },
    details: { number: task.number, runId: queued.id, branch: run.branch, exitCode: failed.exitCode },
  }));
  const [row] = await tx
    .update(tasks)
    .set({ status: "queued", approvedBy: null, approvedAt: null, updatedAt: new Date() })
    .where(eq(tasks.id, task.id))
    .returning();
  return row ?? task;
}
