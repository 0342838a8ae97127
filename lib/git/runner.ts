// The one way Foreman runs git. Every call:
// - gets an explicit --git-dir (and --work-tree) when it works on a repository: git never discovers a
//   repository from a directory an agent could have written (a planted `.git` file or folder);
// - turns off what makes a repository's files run programs: fsmonitor, hooks, the ext:: transport,
//   automatic gc, and the discovery of bare repositories nested in a work tree;
// - runs with a minimal environment: the server's secrets (AUTH_SECRET, DATABASE_URL, ANTHROPIC_*) never
//   reach git or the helpers it starts; only what fetching and pushing need (HOME for the server user's
//   ssh keys and credential helpers, SSH_AUTH_SOCK, proxies) is passed on;
// - runs in a process group of its own, so a timeout also ends the ssh/https helper git started.
import os from "node:os";
import { spawnProcess } from "@/lib/spawner/spawn";

export const SAFE_GIT_CONFIG = [
  "-c",
  "core.fsmonitor=false",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "protocol.ext.allow=never",
  "-c",
  "safe.bareRepository=explicit",
  "-c",
  "gc.auto=0",
  "-c",
  "maintenance.auto=false",
  "-c",
  "core.pager=cat",
  "-c",
  "credential.interactive=never",
];

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 64 * 1024 * 1024;
const SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Server variables git may see: where it finds the server user's config and credentials, and proxies. */
const PASSED_THROUGH = [
  "HOME",
  "USER",
  "LOGNAME",
  "SSH_AUTH_SOCK",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "TZ",
];

export interface GitOptions {
  /** Where git runs; default the OS temp folder (never a folder an agent writes). */
  cwd?: string;
  /** Passed as --git-dir: the repository git works on. */
  gitDir?: string;
  /** Passed as --work-tree. */
  workTree?: string;
  /** GIT_INDEX_FILE: a run's own index in Foreman's clone. */
  indexFile?: string;
  /** Trusted extra variables (identity, GIT_ALTERNATE_OBJECT_DIRECTORIES …). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Written to git's standard input. */
  input?: string;
}

export interface GitExit {
  /** null when git was killed (timeout) or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** git is not installed (spawn ENOENT). */
  missing: boolean;
}

/** A git command that failed; `message` starts with the command and carries git's own words. */
export class GitError extends Error {
  constructor(
    readonly label: string,
    readonly exit: GitExit,
  ) {
    const detail = exit.missing
      ? "git is not installed"
      : exit.timedOut
        ? "timed out"
        : (exit.stderr || exit.stdout).trim();
    super(`${label} failed: ${detail}`);
    this.name = "GitError";
  }
  get stderr() {
    return this.exit.stderr;
  }
}

export function gitEnv(
  options: Pick<GitOptions, "env" | "indexFile" | "workTree"> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH || SAFE_PATH,
    LANG: "C",
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    SSH_ASKPASS_REQUIRE: "never",
    GCM_INTERACTIVE: "never",
    GIT_OPTIONAL_LOCKS: "0",
  };
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  if (options.indexFile) env.GIT_INDEX_FILE = options.indexFile;
  // A work tree's files are an agent's: not even the server user's own config (a clean/smudge filter of
  // git-lfs, an attributes file) gets to act on them. Fetch and push, which need it, have no work tree.
  if (options.workTree) {
    env.GIT_CONFIG_GLOBAL = "/dev/null";
    env.GIT_ATTR_NOSYSTEM = "1";
  }
  return { ...env, ...options.env };
}

/** The argument vector for one git command: safety settings, then the repository, then the command. */
export function gitArgs(args: string[], options: Pick<GitOptions, "gitDir" | "workTree"> = {}): string[] {
  const where: string[] = [];
  if (options.gitDir) where.push(`--git-dir=${options.gitDir}`);
  if (options.workTree) where.push(`--work-tree=${options.workTree}`);
  return [...SAFE_GIT_CONFIG, ...where, ...args];
}

function spawnGit(file: string, argv: string[], options: GitOptions): Promise<GitExit> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const child = spawnProcess(file, argv, {
      cwd: options.cwd ?? os.tmpdir(),
      env: gitEnv(options),
      detached: true,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const finish = (exit: Omit<GitExit, "stdout" | "stderr" | "timedOut">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...exit, stdout, stderr, timedOut });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL"); // its whole group: git and the ssh/https helper it started
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on("error", (error: NodeJS.ErrnoException) => {
      stderr ||= error.message;
      finish({ code: null, missing: error.code === "ENOENT" });
    });
    child.on("close", (code) => finish({ code: timedOut ? null : code, missing: false }));
  });
}

/** Runs git and reports how it ended; never throws (merges report conflicts through their exit code). */
export function runGit(args: string[], options: GitOptions = {}): Promise<GitExit> {
  return spawnGit("git", gitArgs(args, options), options);
}

/** Runs git; a non-zero exit throws a GitError. */
export async function git(
  args: string[],
  options: GitOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const exit = await runGit(args, options);
  if (exit.code !== 0) throw new GitError(`git ${args[0]}`, exit);
  return { stdout: exit.stdout, stderr: exit.stderr };
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * Several git commands joined by && in one `sh -c`, each with the same safety settings and repository:
 * one process spawned by the server instead of several (forking a large Node process costs more than git).
 */
export async function gitSequence(
  commands: string[][],
  options: GitOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const script = commands.map((args) => ["git", ...gitArgs(args, options)].map(quote).join(" ")).join(" && ");
  const exit = await spawnGit("sh", ["-c", script], options);
  if (exit.code !== 0) throw new GitError(commands.map((c) => `git ${c[0]}`).join(" && "), exit);
  return { stdout: exit.stdout, stderr: exit.stderr };
}
