// Verifying the merged tree before it lands: the repository's setup and test commands, in a sandbox like
// every command of a run.
import fs from "node:fs/promises";
import type { Repository, Run } from "@/db/schema";
import { runBash } from "@/lib/engine/tools/bash";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { openSandbox } from "@/lib/sandbox/sandbox";

const VERIFY_TIMEOUT_MS = Number(process.env.FOREMAN_VERIFY_TIMEOUT_SEC ?? 600) * 1000;

export type Verifier = (dir: string) => Promise<{ exitCode: number | null; output: string }>;

/**
 * Whether the merged tree is verified, and so whether a failing test command refuses the merge. Only a
 * result worse than the branch's own refuses: the branch's last verification passed (its run recorded exit
 * 0) and the merged tree fails. A branch that failed, or was never verified, lands without blocking, unless
 * the person merging asked to verify (then any failure refuses, as they asked). The verification records
 * one exit status per run (no per-test results), so that is what is compared.
 */
export function shouldVerify(options: {
  repo: Pick<Repository, "testCommand">;
  run: Pick<Run, "verifyExitCode">;
  requested: boolean;
}): boolean {
  if (!options.repo.testCommand) return false;
  return options.requested || options.run.verifyExitCode === 0;
}

export function verifier(repo: Repository): Verifier | undefined {
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
