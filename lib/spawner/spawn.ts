// The one way Foreman starts a child process (sandboxed commands, git), and removes a run's folders. By
// default through the spawner, a small long-lived helper process (./spawner-process.mjs): fork() of the
// server's large heap blocks its event loop for tens of ms per process under load, the spawner's tiny one
// doesn't, and a folder's removal is a file operation per entry that the engine's thread need not run.
// FOREMAN_SPAWNER=off does both in this process instead; both give the same results.
import { spawn as spawnDirect } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { killGroup } from "./group.mjs";
import { removeTreeRemote, SpawnerStoppedError, spawnRemote } from "./remote";

export type StdioSetting = "ignore" | "pipe";

export interface SpawnOptions {
  cwd: string;
  /** The child's whole environment (nothing of the server's is added). */
  env: Record<string, string>;
  /** Its own process group (and session), so everything it starts can be ended together. */
  detached?: boolean;
  /** fd 0, 1, 2, and any further pipes (bwrap reads fds 3 and 4). */
  stdio: StdioSetting[];
}

/** What a caller sees of a started process: the ChildProcess subset both paths give. */
export interface SpawnedProcess {
  /** Known once the process has started (at once when spawned here, a moment later via the spawner). */
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdio: ReadonlyArray<Readable | Writable | null | undefined>;
  on(event: "exit" | "close", listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: "error", listener: (error: NodeJS.ErrnoException) => void): this;
  /** Signals the process (its whole group when detached). */
  kill(signal?: NodeJS.Signals): boolean;
  /**
   * SIGTERM to the process group, SIGKILL after `graceMs` to whatever is left; resolves once none of it is
   * alive (only for detached processes: the group is the process's own).
   */
  killGroup(graceMs: number): Promise<void>;
}

/** Whether processes start through the spawner (FOREMAN_SPAWNER, default on). */
export function spawnerEnabled(): boolean {
  return (process.env.FOREMAN_SPAWNER ?? "on").trim() !== "off";
}

function spawnHere(file: string, args: string[], options: SpawnOptions): SpawnedProcess {
  const child = spawnDirect(file, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    detached: options.detached === true,
    stdio: options.stdio,
  });
  const detached = options.detached === true;
  const killOne = child.kill.bind(child);
  return Object.assign(child, {
    kill(signal: NodeJS.Signals = "SIGTERM") {
      if (!detached || child.pid === undefined) return killOne(signal);
      try {
        process.kill(-child.pid, signal);
        return true;
      } catch {
        return false;
      }
    },
    killGroup: (graceMs: number) =>
      detached && child.pid !== undefined ? killGroup(child.pid, graceMs) : Promise.resolve(),
  }) as unknown as SpawnedProcess;
}

/** Told of every process started (benchmarks count them, whichever path started them). */
export const spawnObservers = new Set<(file: string, args: string[], child: SpawnedProcess) => void>();

/** Starts `file` with `args`; failures to start arrive as an "error" event, as with child_process. */
export function spawnProcess(file: string, args: string[], options: SpawnOptions): SpawnedProcess {
  const child = spawnerEnabled() ? spawnRemote(file, args, options) : spawnHere(file, args, options);
  for (const observe of spawnObservers) observe(file, args, child);
  return child;
}

/**
 * Removes the folder `target` (absolute, never the root) and everything in it; symlinks inside are removed, never followed.
 * Through the spawner when it is on; here when it is off or stopped before answering.
 */
export async function removeTree(target: string): Promise<void> {
  // The spawner refuses the same (it trusts no request); checked here too, so both ways refuse alike.
  if (!path.isAbsolute(target) || path.resolve(target) === "/")
    throw new Error(`removeTree needs an absolute path below /, not ${JSON.stringify(target)}`);
  const here = () => fs.rm(target, { recursive: true, force: true });
  if (!spawnerEnabled()) return here();
  try {
    await removeTreeRemote(target);
  } catch (error) {
    if (error instanceof SpawnerStoppedError) return here();
    throw error;
  }
}
