// A run's repository and sandbox, made together when a worker starts (or resumes) the run: the repository
// of its own, and the sandbox (with the egress proxy its network policy needs) every command of it goes through.
import path from "node:path";
import { prepareJudgeRepo, prepareRunRepo, type RunRepo } from "@/lib/git/run-repo";
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
  const agentObjectsPath = (hostObjects: string) =>
    status.mode === "bwrap" ? SANDBOX_OBJECTS_DIR : hostObjects;
  // A judge reads the attempts (each a branch of its repository) and changes nothing: read-only, no network.
  const judging = ctx.judging;
  const runRepo = judging
    ? await prepareJudgeRepo({
        repo: ctx.repo,
        runId: ctx.run.id,
        baseBranch: ctx.task.baseBranch,
        attempts: judging.attempts.map((a) => ({ name: `attempt-${a.index}`, sha: a.headSha })),
        agentObjectsPath,
      })
    : await prepareRunRepo({
        repo: ctx.repo,
        runId: ctx.run.id,
        branch: ctx.run.branch,
        baseBranch: ctx.task.baseBranch,
        agentObjectsPath,
      });
  const sandbox = await openSandbox({
    stateDir: runRepo.dir,
    workTree: runRepo.workTree,
    objectsDir: path.join(runRepo.clone, "objects"),
    network: judging ? "none" : ctx.repo.network,
    allowedHosts: !judging && ctx.repo.network === "allowlist" ? ctx.repo.allowedHosts : [],
    limits: effectiveLimits(ctx.agent.sandboxLimits),
    env: gitIdentityEnv({ authorName: ctx.agent.name, authorEmail: "agent@foreman.local" }),
    readOnly: Boolean(judging),
  });
  await store.recordSandbox(sandbox.record);
  return { runRepo, sandbox };
}
