// A run's repository and sandbox, made together when a worker starts (or resumes) the run: the repository
// of its own, the egress proxy its network policy needs, and the sandbox every command of the run goes through.
import fs from "node:fs/promises";
import path from "node:path";
import { prepareRunRepo, type RunRepo } from "@/lib/git/run-repo";
import { assertSourceAllowed } from "@/lib/repos/source-policy";
import { type EgressProxy, startEgressProxy } from "@/lib/sandbox/egress-proxy";
import { effectiveLimits } from "@/lib/sandbox/limits";
import { proxyBridgeScript } from "@/lib/sandbox/proxy-bridge";
import { openSandbox, SANDBOX_OBJECTS_DIR, SANDBOX_PROXY_DIR, type Sandbox } from "@/lib/sandbox/sandbox";
import { SandboxUnavailableError, sandboxStatus } from "@/lib/sandbox/status";
import type { RunContext } from "./run-context";
import type { RunStore } from "./run-store";
import { gitIdentityEnv } from "./tools/bash";

export interface OpenedRun {
  runRepo: RunRepo;
  sandbox: Sandbox & { close(): Promise<void> };
}

export async function openRunSandbox(ctx: RunContext, store: RunStore): Promise<OpenedRun> {
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
  // Allowlist and open: the sandbox still has no network of its own; tools reach the egress proxy through a
  // socket in the run's folder, and the proxy decides (never the host's loopback, whatever the policy).
  const network = ctx.repo.network;
  const allowedHosts = network === "allowlist" ? ctx.repo.allowedHosts : [];
  let proxy: EgressProxy | undefined;
  if (status.mode === "bwrap" && network !== "none") {
    const proxyDir = path.join(runRepo.dir, "proxy");
    await fs.mkdir(proxyDir, { recursive: true, mode: 0o700 });
    proxy = await startEgressProxy({
      socketPath: path.join(proxyDir, "proxy.sock"),
      policy: { network, allowedHosts },
    });
  }
  const sandbox = await openSandbox({
    stateDir: runRepo.dir,
    workTree: runRepo.workTree,
    objectsDir: path.join(runRepo.clone, "objects"),
    network,
    allowedHosts,
    ...(proxy
      ? {
          proxyDir: path.dirname(proxy.socketPath),
          prelude: proxyBridgeScript(`${SANDBOX_PROXY_DIR}/${path.basename(proxy.socketPath)}`),
        }
      : {}),
    limits: effectiveLimits(ctx.agent.sandboxLimits),
    env: gitIdentityEnv({ authorName: ctx.agent.name, authorEmail: "agent@foreman.local" }),
  });
  await store.recordSandbox(sandbox.record);
  return {
    runRepo,
    sandbox: {
      ...sandbox,
      async close() {
        sandbox.close();
        await proxy?.close();
      },
    },
  };
}
