// The public JSON shape of each row. Explicit field lists, so an internal column (a lease owner, a token
// hash) never leaks into the API by being added to a table. Dates become ISO strings in Response.json.
import type { Agent, Repository, Run, Task } from "@/db/schema";

export function serializeRepo(repo: Repository) {
  return {
    id: repo.id,
    name: repo.name,
    source: repo.source,
    defaultBranch: repo.defaultBranch,
    setupCommand: repo.setupCommand,
    testCommand: repo.testCommand,
    mergeStrategy: repo.mergeStrategy,
    /** What its runs' sandboxes may reach: "none", "allowlist" (allowedHosts only) or "open". */
    network: repo.network,
    allowedHosts: repo.allowedHosts,
    createdAt: repo.createdAt,
    updatedAt: repo.updatedAt,
  };
}

export function serializeAgent(agent: Agent) {
  return {
    id: agent.id,
    name: agent.name,
    model: agent.model,
    systemPrompt: agent.systemPrompt,
    maxSteps: agent.maxSteps,
    maxCostUsd: agent.maxCostUsd,
    maxDurationSec: agent.maxDurationSec,
    bashTimeoutSec: agent.bashTimeoutSec,
    thinkingBudget: agent.thinkingBudget,
    riskyPatterns: agent.riskyPatterns,
    rules: agent.rules,
    /** Overrides of the sandbox's per-command limits; a limit left out is the default. */
    sandboxLimits: agent.sandboxLimits,
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
  };
}

export function serializeTask(task: Task) {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    prompt: task.prompt,
    status: task.status,
    repoId: task.repoId,
    agentId: task.agentId,
    baseBranch: task.baseBranch,
    assignedBy: task.assignedBy,
    reviewerId: task.reviewerId,
    approvedBy: task.approvedBy,
    approvedAt: task.approvedAt,
    mergedAt: task.mergedAt,
    mergeSha: task.mergeSha,
    mergedBranch: task.mergedBranch,
    conflictFiles: task.conflictFiles ?? [],
    /** Best-of-N: the attempt promoted (its branch and latest run then); the others were closed. */
    promotedBranch: task.promotedBranch,
    promotedRunId: task.promotedRunId,
    promotedAt: task.promotedAt,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    closedAt: task.closedAt,
  };
}

export function serializeRun(run: Run) {
  return {
    id: run.id,
    taskId: run.taskId,
    agentId: run.agentId,
    /** initial, follow_up (after a request for changes), rerun or resolve_conflict. */
    kind: run.kind,
    parentRunId: run.parentRunId,
    /** Who set the run off (assigned, requested changes, ran it again); null once they left the team. */
    startedBy: run.startedBy,
    status: run.status,
    /**
     * What the finished run brought (null until it ends): changes_ready, verification_failed, no_changes,
     * blocked, needs_input or failed; outcomeReason says why a person is needed (the agent's question…).
     */
    outcome: run.outcome,
    outcomeReason: run.outcomeReason,
    model: run.model,
    branch: run.branch,
    steps: run.steps,
    costUsd: run.costUsd,
    /** True when a model call had no catalogue price: costUsd then leaves that call out. */
    unpriced: run.unpriced,
    usage: {
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      cacheWriteTokens: run.cacheWriteTokens,
      cacheReadTokens: run.cacheReadTokens,
    },
    budget: { maxSteps: run.maxSteps, maxCostUsd: run.maxCostUsd, maxDurationSec: run.maxDurationSec },
    /**
     * How the run's commands were confined (null until it starts): `mode` "bwrap" (the OS sandbox) or "off"
     * (an admin turned it off: unsandboxed), and the repository's network policy at the time.
     */
    sandbox: run.sandbox ? { ...run.sandbox, unsandboxed: run.sandbox.mode === "off" } : null,
    verify: run.verifyExitCode === null ? null : { exitCode: run.verifyExitCode, output: run.verifyOutput },
    stopReason: run.stopReason,
    error: run.error,
    cancelRequestedAt: run.cancelRequestedAt,
    lastSeq: run.lastSeq,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}
