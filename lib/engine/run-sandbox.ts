// A run's repository and sandbox, made together when a worker starts (or resumes) the run: the repository
// of its own, and the sandbox (with the egress proxy its network policy needs) every command of it goes through.
import path from "node:path";
import { prepareRunRepo, type RunRepo } from "@/lib/git/run-repo";
import { assertSourceAllowed } from "@/lib/repos/source-policy";
import { effectiveLimits } from "@/lib/sandbox/limits";
import { openSandbox, SANDBOX_OBJECTS_DIR, type Sandbox } from "@/lib/sandbox/sandbox";
import { SandboxUnavailableError, sandboxStatus } from "@/lib/sandbox/status";
import type { RunContext } from "./run-context";
import type { RunStore } from "./run-store";
import { gitIdentityEnv } from "./tools/bash";

export async function openRunSandbox(
  ctx: RunContext,
  store: RunStore,
): Promise<{ runRepo: RunRepo; sandbox: Sandbox }> {
  const status = await sandboxStatus();
  if (status.mode === "unavailable") throw new SandboxUnavailableError(status.reason);
  // Registered before the rule existed, or written to the database by hand: checked again before cloning.
  await assertSourceAllowed(ctx.repo.source, { teamId: ctx.repo.teamId });
  const runRepo = await prepareRunRepo({
    repo: ctx.repo,
    runId: ctx.run.id,
    branch: ctx.run.branch,
    baseBranch: ctx.task.baseBranch,
    agentObjectsPath: (hostObjects) => (status.mode === "bwrap" ? SANDBOX_OBJECTS_DIR : hostObjects),
  });
  const sandbox = await openSandbox({
    stateDir: runRepo.dir,
    workTree: runRepo.workTree,
    objectsDir: path.join(runRepo.clone, "objects"),
    network: ctx.repo.network,
    allowedHosts: ctx.repo.network === "allowlist" ? ctx.repo.allowedHosts : [],
    limits: effectiveLimits(ctx.agent.sandboxLimits),
    env: gitIdentityEnv({ authorName: ctx.agent.name, authorEmail: "agent@foreman.local" }),
  });
  await store.recordSandbox(sandbox.record);
  return { runRepo, sandbox };
}
