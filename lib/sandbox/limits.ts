// Resource limits of one sandboxed command. Enforced with rlimits set before the command starts (hard and
// soft, so the command can't raise them again) and, for the number of processes when the server runs as
// root (the kernel never applies RLIMIT_NPROC to root), a pids cgroup when one can be made.
import type { SandboxLimitOverrides } from "@/db/schema";

export interface SandboxLimits {
  /** Private writable memory per process (RLIMIT_DATA: heap and anonymous mappings). */
  memoryMb: number;
  /** Processes and threads the command may have at once. */
  maxProcesses: number;
  /** CPU time per process. */
  cpuSeconds: number;
  /** Output kept per command (head and tail). */
  outputKb: number;
  /** Largest file the command may write. */
  fileSizeMb: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryMb: 4096,
  maxProcesses: 512,
  cpuSeconds: 600,
  outputKb: 30,
  fileSizeMb: 1024,
};

/** Bounds an admin may set per agent: past them a limit protects nothing, below them nothing works. */
export const SANDBOX_LIMIT_BOUNDS: Record<keyof SandboxLimitOverrides, { min: number; max: number }> = {
  memoryMb: { min: 64, max: 65_536 },
  maxProcesses: { min: 8, max: 32_768 },
  cpuSeconds: { min: 1, max: 86_400 },
  outputKb: { min: 1, max: 1024 },
};

export function effectiveLimits(overrides: SandboxLimitOverrides | null | undefined): SandboxLimits {
  const limits = { ...DEFAULT_SANDBOX_LIMITS };
  for (const key of Object.keys(SANDBOX_LIMIT_BOUNDS) as (keyof SandboxLimitOverrides)[]) {
    const value = overrides?.[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) limits[key] = Math.floor(value);
  }
  return limits;
}

/**
 * The shell line that applies the limits (bash's ulimit sets hard and soft limits when given neither -H
 * nor -S). `withProcessLimit: false` when a pids cgroup enforces the process count instead.
 */
export function ulimitPrelude(limits: SandboxLimits, options: { withProcessLimit: boolean }): string {
  const parts = [
    `-d ${limits.memoryMb * 1024}`,
    `-t ${limits.cpuSeconds}`,
    `-f ${limits.fileSizeMb * 1024 * 2}`,
    "-c 0",
  ];
  if (options.withProcessLimit) parts.push(`-u ${limits.maxProcesses}`);
  return `ulimit ${parts.join(" ")} || exit 126`;
}
