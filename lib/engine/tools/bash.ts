// Runs one command of a run (the agent's bash tool, the setup and test commands) through the run's sandbox,
// in a process group of its own, with a timeout and an abort that end everything it started, and output
// capped to its head and tail.
import type { Sandbox } from "@/lib/sandbox/sandbox";

export const DEFAULT_BASH_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 30_000;
/** Between SIGTERM to the group and SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 2_000;

export interface RunBashOptions {
  command: string;
  /** The run's sandbox: the command starts through it (its folder, environment and limits). */
  sandbox: Sandbox;
  /** Default 120 s. Everything the command started is killed when it runs out. */
  timeoutMs?: number;
  /** Aborting kills everything the command started. */
  signal?: AbortSignal;
  /** Default ~30 KB: longer output keeps its head and tail with a line saying how much was cut. */
  maxOutputBytes?: number;
  /** Default 2 s. */
  killGraceMs?: number;
}

export interface BashResult {
  /** stdout and stderr interleaved as written, possibly truncated (see `truncated`). */
  output: string;
  /** null when the shell was ended by a signal or could not start. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  durationMs: number;
  /** Set when the command could not be started at all (no bwrap, no bash …). */
  error?: string;
}

/** The git identity variables for a command that may commit. */
export function gitIdentityEnv(identity: {
  authorName: string;
  authorEmail: string;
  committerName?: string;
  committerEmail?: string;
}): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: identity.authorName,
    GIT_AUTHOR_EMAIL: identity.authorEmail,
    GIT_COMMITTER_NAME: identity.committerName ?? identity.authorName,
    GIT_COMMITTER_EMAIL: identity.committerEmail ?? identity.authorEmail,
  };
}

/** Keeps the first and last bytes of a stream, counting what falls in between. */
class HeadTailBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  total = 0;

  constructor(
    private readonly headMax: number,
    private readonly tailMax: number,
  ) {}

  push(chunk: Buffer) {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headMax) {
      const take = Math.min(this.headMax - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    const joined = Buffer.concat([this.tail, rest]);
    this.tail =
      joined.length > this.tailMax ? Buffer.from(joined.subarray(joined.length - this.tailMax)) : joined;
  }

  get truncated() {
    return this.total > this.headMax + this.tailMax;
  }

  toString(): string {
    const head = Buffer.concat(this.head).toString("utf8");
    if (!this.truncated) return head + this.tail.toString("utf8");
    const cut = this.total - this.headBytes - this.tail.length;
    return `${head}\n\n[… ${cut} bytes of output cut …]\n\n${this.tail.toString("utf8")}`;
  }
}

function failed(error: string, started: number): BashResult {
  return {
    output: error,
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    truncated: false,
    durationMs: Date.now() - started,
    error,
  };
}

/**
 * Runs one command. Never rejects: failures to start come back with `error` set. Background
 * processes the command leaves behind are killed with it when the shell exits.
 */
export async function runBash(options: RunBashOptions): Promise<BashResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_BASH_TIMEOUT_MS;
  const maxOutputBytes = Math.max(2, options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  if (options.signal?.aborted) {
    return { ...failed("Cancelled before it started.", started), error: undefined, cancelled: true };
  }
  const launch = await options.sandbox.launch(options.command);
  const { child } = launch;
  const buffer = new HeadTailBuffer(Math.ceil(maxOutputBytes / 2), Math.floor(maxOutputBytes / 2));

  let timedOut = false;
  let cancelled = false;
  let killing: Promise<void> | undefined;
  // The command's own process group (the spawner ends it, off this process's event loop).
  const stop = () => {
    killing ??= child.killGroup(graceMs);
  };

  return new Promise<BashResult>((resolve) => {
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let spawnError: string | undefined;
    let settled = false;

    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort(); // while the command's script was being written

    child.stdout?.on("data", (chunk: Buffer) => buffer.push(chunk));
    // The command's own stderr joins stdout in the shell; this one carries the sandbox's own complaints.
    child.stderr?.on("data", (chunk: Buffer) => buffer.push(chunk));

    child.on("close", () => void finish());
    child.on("error", (err) => {
      spawnError = `Could not start the command: ${err.message}`;
      // A process that never started emits no exit and may emit no close.
      if (child.pid === undefined) void finish();
    });

    child.on("exit", (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      // Whatever the command left running in its group goes too; then give the pipe a moment to
      // drain. Something that escaped the group (setsid) could hold the pipe open forever: stop reading.
      stop();
      void (killing ?? Promise.resolve()).then(() => {
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, 500).unref();
      });
    });

    async function finish() {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      await killing;
      await launch.cleanup?.().catch(() => {});
      let output = buffer.toString();
      if (spawnError) output = output ? `${output}\n${spawnError}` : spawnError;
      resolve({
        output,
        exitCode,
        signal: exitSignal,
        timedOut,
        cancelled,
        truncated: buffer.truncated,
        durationMs: Date.now() - started,
        ...(spawnError ? { error: spawnError } : {}),
      });
    }
  });
}

/** The tool_result text for the model: the output plus one line on how the command ended. */
export function formatBashResult(result: BashResult, timeoutMs = DEFAULT_BASH_TIMEOUT_MS): string {
  const output = result.output.length > 0 ? result.output.replace(/\n?$/, "\n") : "";
  if (result.error) return result.error;
  if (result.timedOut)
    return `${output}[timed out after ${Math.round(timeoutMs / 1000)} s; the command was killed]`;
  if (result.cancelled) return `${output}[cancelled; the command was killed]`;
  if (result.signal) return `${output}[killed by ${result.signal}]`;
  if (result.exitCode !== 0) return `${output}[exit code ${result.exitCode}]`;
  return output || "(no output)";
}
