// Merging an approved task: the real git merge happens outside any transaction (it can take seconds);
// the task is checked before and updated after, and each attempt leaves one audit row.
import fs from "node:fs/promises";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Repository, type Task, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { runBash } from "@/lib/engine/tools/bash";
import { AppError, conflict } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { deleteBranch, type MergeOutcome, MergeRefusedError, mergeBranch } from "@/lib/git/merge";
import { parseInput } from "@/lib/models/parse";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { openSandbox } from "@/lib/sandbox/sandbox";
import { onTaskMerged } from "@/lib/tasks/dependency-events";
import { assertBranchHasChanges } from "./branch-changes";
import { chooseLine, lockTask, refuseUnless, refuseWhileAnyRunning, repoOf } from "./load";
import { type MergeInput, mergeSchema } from "./schema";

const VERIFY_TIMEOUT_MS = Number(process.env.FOREMAN_VERIFY_TIMEOUT_SEC ?? 600) * 1000;

// One merge per task at a time in this process; across processes the second push finds nothing to merge.
const merging = new Set<string>();

function mergeMessage(task: Task, branch: string, strategy: string): string {
  return strategy === "squash"
    ? `${task.title} (#${task.number})\n\nSquashed from ${branch} by Foreman.`
    : `Merge task #${task.number}: ${task.title}\n\nBranch ${branch}, merged by Foreman.`;
}

/** The repository's setup and test commands on the merged tree, in a sandbox like every command of a run. */
function verifier(repo: Repository) {
  const testCommand = repo.testCommand;
  if (!testCommand) return undefined;
  return async (dir: string) => {
    const stateDir = `${dir}.sandbox`;
    const sandbox = await openSandbox({
      stateDir,
      workTree: dir,
      network: repo.network,
      allowedHosts: repo.network === "allowlist" ? repo.allowedHosts : [],
      limits: DEFAULT_SANDBOX_LIMITS,
    });
    const run = (command: string) => runBash({ command, sandbox, timeoutMs: VERIFY_TIMEOUT_MS });
    try {
      if (repo.setupCommand) {
        const setup = await run(repo.setupCommand);
        if (setup.exitCode !== 0) return { exitCode: setup.exitCode, output: setup.output };
      }
      const test = await run(testCommand);
      return { exitCode: test.timedOut ? null : test.exitCode, output: test.output };
    } finally {
      await sandbox.close();
      await fs.rm(stateDir, { recursive: true, force: true });
    }
  };
}

export type MergeTaskResult =
  /** keptBranches: branches the source refused to delete (checked out there). */
  | { status: "merged"; task: Task; sha: string; closedBranches: string[]; keptBranches: string[] }
  | { status: "conflict"; task: Task; files: string[] }
  | { status: "verification_failed"; task: Task; exitCode: number | null; output: string };

export async function mergeTask(
  actor: Actor,
  taskId: string,
  raw: MergeInput = {},
): Promise<MergeTaskResult> {
  authorize(actor, "tasks:merge");
  const input = parseInput(mergeSchema, raw);
  const db = await getDb();
  const { task, repo, run, others } = await db.transaction(async (tx) => {
    const task = await lockTask(tx, actor, taskId);
    refuseUnless(task, ["approved", "conflict"], "merged before it is approved");
    const { runs: taskRuns, lines, line, approvedLine } = await chooseLine(tx, task, input.runId);
    if (approvedLine && line.branch !== approvedLine.branch) {
      throw conflict(
        `The approved branch is ${approvedLine.branch}, not ${line.branch}. Approve ${line.branch} first to merge it instead.`,
      );
    }
    refuseWhileAnyRunning(taskRuns);
    // Only one agent's work is merged: the other agents' branches are closed with it.
    const others = lines.filter((l) => l.branch !== line.branch).map((l) => l.branch);
    return { task, repo: await repoOf(tx, task), run: line.latest, others };
  });
  await assertBranchHasChanges(repo, task.baseBranch, run.branch, "merge");
  if (merging.has(task.id)) throw conflict("This task is being merged right now.");
  merging.add(task.id);
  try {
    let outcome: MergeOutcome;
    try {
      outcome = await mergeBranch({
        repo,
        baseBranch: task.baseBranch,
        branch: run.branch,
        strategy: repo.mergeStrategy,
        message: mergeMessage(task, run.branch, repo.mergeStrategy),
        author: { name: actor.name, email: actor.email },
        verify: input.verify ? verifier(repo) : undefined,
      });
    } catch (error) {
      if (!(error instanceof MergeRefusedError)) throw error;
      await db.transaction((tx) =>
        recordAudit(
          tx,
          actor,
          "task.merge_refused",
          { type: "task", id: task.id },
          { number: task.number, branch: run.branch, reason: error.message, code: error.reason },
        ),
      );
      throw error.reason === "dirty_worktree"
        ? new AppError("dirty_worktree", error.message)
        : conflict(error.message);
    }

    const updated = await db.transaction(async (tx) => {
      await lockTask(tx, actor, task.id);
      const common = { number: task.number, baseBranch: task.baseBranch, branch: run.branch };
      let changes: Partial<Task> = {};
      if (outcome.status === "merged") {
        changes = {
          status: "merged",
          mergedAt: new Date(),
          closedAt: new Date(),
          mergeSha: outcome.sha,
          mergedBranch: run.branch,
          mergedHeadSha: outcome.head,
          conflictFiles: null,
        };
        await recordAudit(
          tx,
          actor,
          "task.merged",
          { type: "task", id: task.id },
          {
            ...common,
            sha: outcome.sha,
            head: outcome.head,
            strategy: repo.mergeStrategy,
            verified: input.verify,
            ...(others.length > 0 ? { closedBranches: others } : {}),
          },
        );
      } else if (outcome.status === "conflict") {
        changes = {
          status: "conflict",
          conflictFiles: outcome.files,
          mergeConflictedAt: task.mergeConflictedAt ?? new Date(),
        };
        await recordAudit(
          tx,
          actor,
          "task.merge_conflict",
          { type: "task", id: task.id },
          { ...common, files: outcome.files },
        );
      } else {
        await recordAudit(
          tx,
          actor,
          "task.merge_verification_failed",
          { type: "task", id: task.id },
          { ...common, exitCode: outcome.exitCode },
        );
      }
      if (Object.keys(changes).length === 0) return task;
      const [row] = await tx
        .update(tasks)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(tasks.id, task.id))
        .returning();
      if (outcome.status === "merged") await onTaskMerged(tx, actor, task.id);
      await notifyTeamChange(tx, { teamId: task.teamId, kind: "task", taskId: task.id });
      return row ?? task;
    });

    if (outcome.status === "merged") {
      // The work is in the base branch now; the run branch, and the other agents' branches of the task,
      // have served their purpose.
      const kept: string[] = [];
      for (const branch of [run.branch, ...others]) {
        if (!(await deleteBranch(repo, branch).catch(() => false))) kept.push(branch);
      }
      return {
        status: "merged",
        task: updated,
        sha: outcome.sha,
        closedBranches: others,
        keptBranches: kept,
      };
    }
    if (outcome.status === "conflict") return { status: "conflict", task: updated, files: outcome.files };
    return {
      status: "verification_failed",
      task: updated,
      exitCode: outcome.exitCode,
      output: outcome.output,
    };
  } finally {
    merging.delete(task.id);
  }
}
