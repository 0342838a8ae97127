// Executes one tool_use block in the run's repository (bash inside the run's sandbox) and returns its stored result.

import type { RunEventPayloads } from "@/lib/events/types";
import { changedBetween, type RunRepo, snapshotTree } from "@/lib/git/run-repo";
import type { Sandbox } from "@/lib/sandbox/sandbox";
import type { ToolUse } from "./conversation";
import { matchRiskyPattern } from "./risk";
import { runBash } from "./tools/bash";
import {
  BASH_TOOL_NAME,
  EDITOR_TOOL_NAME,
  FINISH_TASK_TOOL_NAME,
  RANK_ATTEMPTS_TOOL_NAME,
} from "./tools/definitions";
import { runEditor } from "./tools/editor";
import { runFinishTask } from "./tools/finish-task";
import { runRankAttempts } from "./tools/rank-attempts";

export interface ToolEnvironment {
  runRepo: RunRepo;
  /** Every bash command of the run starts through it. */
  sandbox: Sandbox;
  bashTimeoutMs: number;
  maxOutputBytes: number;
  riskyPatterns: string[];
  signal: AbortSignal;
  /**
   * A judge's run: the attempt numbers it ranks. It has bash (on a read-only repository, so no change to
   * look for) and rank_attempts; the editor, which writes from the server, and finish_task are not its tools.
   */
  judgeOf?: number[];
  /**
   * The worktree's tree hash after the last bash call, while nothing else has changed the worktree (the
   * editor clears it when it writes): the next call's "before" without two more git processes.
   */
  lastTree: { hash?: string };
  /** Resolves when a person has answered the approval request for this call. */
  requestApproval: (
    toolUseId: string,
    command: string,
    pattern: string,
  ) => Promise<{ approved: boolean; by: string }>;
}

type ToolResult = Omit<RunEventPayloads["tool_result"], "toolUseId" | "resumed">;

async function runBashTool(
  env: ToolEnvironment,
  input: { command?: unknown; restart?: unknown },
): Promise<ToolResult> {
  if (input.restart === true) {
    return {
      content: "The shell was restarted. Each command runs in a fresh shell in the repository root.",
      isError: false,
      durationMs: 0,
    };
  }
  if (typeof input.command !== "string" || !input.command.trim()) {
    return { content: "The bash tool needs a `command`.", isError: true, durationMs: 0 };
  }
  const command = input.command;
  const pattern = matchRiskyPattern(command, env.riskyPatterns);
  if (pattern) {
    const decision = await env.requestApproval("", command, pattern);
    if (!decision.approved) {
      return {
        content: `${decision.by} denied this command (it matches the risky pattern /${pattern}/). Do not run it; find another way or explain why it is needed.`,
        isError: true,
        durationMs: 0,
      };
    }
  }
  const result = await runBash({
    command,
    sandbox: env.sandbox,
    timeoutMs: env.bashTimeoutMs,
    maxOutputBytes: env.maxOutputBytes,
    signal: env.signal,
  });
  let content = result.output;
  if (result.timedOut)
    content += `\n[the command timed out after ${Math.round(env.bashTimeoutMs / 1000)} s and was killed]`;
  if (result.cancelled) content += "\n[the command was cancelled]";
  if (!result.timedOut && !result.cancelled && result.exitCode !== 0)
    content += `\n[exit code ${result.exitCode}]`;
  return {
    content: content || "(no output)",
    isError: result.exitCode !== 0 || result.timedOut,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
  };
}

/** A judge's tool call: bash on its read-only repository, or its ranking. */
async function executeJudgeTool(env: ToolEnvironment, attempts: number[], use: ToolUse): Promise<ToolResult> {
  if (use.name === RANK_ATTEMPTS_TOOL_NAME) return { ...runRankAttempts(use.input, attempts), durationMs: 0 };
  if (use.name !== BASH_TOOL_NAME) {
    return {
      content: `Unknown tool '${use.name}'. Use bash to read the attempts and ${RANK_ATTEMPTS_TOOL_NAME} to answer.`,
      isError: true,
      durationMs: 0,
    };
  }
  return runBashTool(
    { ...env, requestApproval: (_id, command, pattern) => env.requestApproval(use.id, command, pattern) },
    (use.input ?? {}) as { command?: unknown; restart?: unknown },
  );
}

export async function executeTool(env: ToolEnvironment, use: ToolUse): Promise<ToolResult> {
  if (env.judgeOf) return executeJudgeTool(env, env.judgeOf, use);
  const started = Date.now();
  if (use.name === EDITOR_TOOL_NAME) {
    // The editor knows exactly which file it wrote; a view spawns no process at all.
    const edit = await runEditor(env.runRepo.workTree, use.input, { shownRoot: env.sandbox.repoPath });
    if (edit.changedFiles.length > 0) env.lastTree.hash = undefined;
    const result = { content: edit.content, isError: edit.isError, durationMs: Date.now() - started };
    return edit.changedFiles.length > 0 ? { ...result, changedFiles: edit.changedFiles } : result;
  }
  if (use.name === FINISH_TASK_TOOL_NAME) return { ...runFinishTask(use.input), durationMs: 0 };
  if (use.name !== BASH_TOOL_NAME) {
    return {
      content: `Unknown tool '${use.name}'. Use bash, ${EDITOR_TOOL_NAME} or ${FINISH_TASK_TOOL_NAME}.`,
      isError: true,
      durationMs: 0,
    };
  }
  // A shell command can touch any file: compare the worktree before and after. Whatever changed since the
  // last call (a process it left running in the background) counts as this call's change.
  const before = env.lastTree.hash ?? (await snapshotTree(env.runRepo));
  env.lastTree.hash = undefined;
  const result = await runBashTool(
    { ...env, requestApproval: (_id, command, pattern) => env.requestApproval(use.id, command, pattern) },
    (use.input ?? {}) as { command?: unknown; restart?: unknown },
  );
  const after = await snapshotTree(env.runRepo);
  env.lastTree.hash = after;
  const changedFiles = await changedBetween(env.runRepo, before, after);
  return changedFiles.length > 0 ? { ...result, changedFiles } : result;
}
