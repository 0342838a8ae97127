import "server-only";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type GitExit, runGit } from "./runner";

/** A git source Foreman can't use, with a message meant for the person who typed it. */
export class GitSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitSourceError";
  }
}

export interface SourceInfo {
  /** Branch names (without refs/heads/), the HEAD branch first, then alphabetical. */
  branches: string[];
  /** The branch the source's HEAD points to, when it points to an existing branch. */
  headBranch: string | null;
}

export type NormalizedSource =
  | { kind: "local"; location: string }
  | { kind: "url"; location: string; host: string | null };

export const GIT_TIMEOUT_MS = 15_000;

const URL_SCHEMES = new Set(["http", "https", "ssh", "git", "file", "git+ssh", "ssh+git"]);
const USE_INSTEAD = "Use a local path or an https://, ssh://, git:// or file:// URL.";
const URL_PATTERN = /^([a-z][a-z0-9+.-]*):\/\//i;
// git's own rule: a colon before the first slash means scp-like ssh syntax (git@host:org/repo.git).
const SCP_PATTERN = /^(?:[^@/:\s]+@)?([^@/:\s]+):/;

/**
 * Tells a local path from a clone URL and puts local paths in their absolute form
 * (relative to the server's working directory; `~` is the server user's home).
 */
export function normalizeSource(raw: string): NormalizedSource {
  const source = raw.trim();
  if (!source) throw new GitSourceError("Enter a local path or a clone URL.");
  // A leading dash would reach git as an option.
  if (source.startsWith("-")) throw new GitSourceError(`'${source}' is not a path or a URL.`);
  if (/[\0\r\n]/.test(source)) throw new GitSourceError("The source can't contain line breaks.");

  // git's transport::address syntax (ext::sh -c …) runs programs: never from a form.
  const transport = /^([a-z0-9+.-]+)::/i.exec(source);
  if (transport) throw new GitSourceError(`Foreman can't use ${transport[1]}:: sources. ${USE_INSTEAD}`);

  const url = URL_PATTERN.exec(source);
  if (url) {
    const scheme = url[1]?.toLowerCase() ?? "";
    if (!URL_SCHEMES.has(scheme)) {
      throw new GitSourceError(`Foreman can't use ${scheme}:// sources. ${USE_INSTEAD}`);
    }
    let host: string | null = null;
    try {
      host = new URL(source).hostname || null;
    } catch {
      throw new GitSourceError(`'${source}' is not a valid URL.`);
    }
    return { kind: "url", location: source, host };
  }
  if (!source.startsWith("~") && !source.startsWith(".")) {
    const scp = SCP_PATTERN.exec(source);
    if (scp) return { kind: "url", location: source, host: scp[1] ?? null };
  }

  let local = source;
  if (local === "~") local = os.homedir();
  else if (local.startsWith("~/")) local = path.join(os.homedir(), local.slice(2));
  return { kind: "local", location: path.resolve(local) };
}

/** git's first meaningful stderr line, without its "fatal: " prefix. */
function firstLine(stderr: string): string {
  const line = stderr
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l && !/^(hint|warning):/i.test(l));
  return (line ?? "").replace(/^(fatal|error|remote):\s*/i, "");
}

/** Turns a failed git call into a sentence a person can act on. */
export function describeGitFailure(
  source: NormalizedSource,
  failure: { stderr: string; reason: "failed" | "timeout" | "missing"; timeoutMs?: number },
): string {
  const where = source.location;
  const host = source.kind === "url" && source.host ? source.host : where;
  if (failure.reason === "missing") return "git is not installed on the server (or not on its PATH).";
  if (failure.reason === "timeout") {
    return `No answer from ${where} within ${Math.round((failure.timeoutMs ?? GIT_TIMEOUT_MS) / 1000)} s. Check the address and that the host is reachable from the server.`;
  }
  const err = failure.stderr;
  if (/dubious ownership/i.test(err)) {
    return `git refuses to read ${where}: it belongs to another user. Add it to git's safe.directory for the server's user.`;
  }
  if (/does not appear to be a git repository|not a git repository/i.test(err)) {
    return source.kind === "local" ? `${where} is not a git repository` : `No git repository at ${where}`;
  }
  if (/could not read (username|password)|terminal prompts disabled|authentication failed/i.test(err)) {
    return `${where} asks for credentials. Foreman can't type a password: give the server's user access (SSH key or credential helper), or use a URL that needs none.`;
  }
  if (/permission denied \(publickey|permission denied, please try again/i.test(err)) {
    return `${host} refused the server's SSH key. Give the server's user an SSH key with read access to ${where}.`;
  }
  if (/host key verification failed/i.test(err)) {
    return `The SSH host key of ${host} isn't known to the server yet. Connect once by hand as the server's user (ssh ${host}) to trust it.`;
  }
  if (/repository .*not found|not found|404/i.test(err)) {
    return `No repository at ${where} (or it is private and the server has no access).`;
  }
  if (/could not resolve host|name or service not known|nodename nor servname/i.test(err)) {
    return `Can't find the host ${host}: the name doesn't resolve. Check the spelling.`;
  }
  if (
    /connection refused|connection timed out|failed to connect|network is unreachable|no route to host/i.test(
      err,
    )
  ) {
    return `Can't connect to ${host}. Check the address and that the host is reachable from the server.`;
  }
  if (/ssl certificate|certificate verify|server certificate/i.test(err)) {
    return `The TLS certificate of ${host} isn't trusted by the server.`;
  }
  const line = firstLine(err);
  return line ? `git couldn't read ${where}: ${line}` : `git couldn't read ${where}.`;
}

/** Parses `git ls-remote` output into ref names. */
export function parseRefs(stdout: string): { refs: string[]; symref: string | null } {
  const refs: string[] = [];
  let symref: string | null = null;
  for (const line of stdout.split("\n")) {
    const [left, right] = line.split("\t");
    if (!left || !right) continue;
    if (left.startsWith("ref: ")) {
      if (right === "HEAD") symref = left.slice(5);
      continue;
    }
    refs.push(right);
  }
  return { refs, symref };
}

async function checkLocalFolder(location: string) {
  const stat = await fs.stat(location).catch(() => null);
  if (!stat) throw new GitSourceError(`No folder at ${location}`);
  if (!stat.isDirectory()) throw new GitSourceError(`${location} is a file, not a folder`);
}

/** Why a git call failed, in the terms describeGitFailure reads. */
function failureOf(exit: GitExit, timeoutMs: number) {
  const reason = exit.missing ? "missing" : exit.timedOut ? "timeout" : "failed";
  return { stderr: exit.stderr, reason, timeoutMs } as const;
}

/**
 * `git ls-remote` through the one git runner: no prompts, a minimal environment, and a process group
 * of its own, so a timeout also kills the ssh or https helper git started (they would otherwise keep
 * the pipes open).
 */
async function lsRemote(
  source: NormalizedSource,
  options: string[],
  patterns: string[],
  timeoutMs = GIT_TIMEOUT_MS,
) {
  const exit = await runGit(["ls-remote", ...options, source.location, ...patterns], { timeoutMs });
  if (exit.code !== 0) throw new GitSourceError(describeGitFailure(source, failureOf(exit, timeoutMs)));
  return parseRefs(exit.stdout);
}

/**
 * Reads a repository's branches and HEAD branch with `git ls-remote`, the same way for a local path
 * and a clone URL; throws a GitSourceError with a readable message when it can't.
 */
export async function inspectSource(
  raw: string,
  options: { timeoutMs?: number } = {},
): Promise<SourceInfo & { source: NormalizedSource }> {
  const source = normalizeSource(raw);
  if (source.kind === "local") await checkLocalFolder(source.location);

  const heads = await lsRemote(source, ["--heads"], [], options.timeoutMs);
  const branches = heads.refs
    .filter((ref) => ref.startsWith("refs/heads/"))
    .map((ref) => ref.slice("refs/heads/".length))
    .sort();
  if (branches.length === 0) {
    throw new GitSourceError(
      `${source.location} has no commits yet. Make a first commit on a branch, then register it.`,
    );
  }

  const head = await lsRemote(source, ["--symref"], ["HEAD"], options.timeoutMs);
  const headRef = head.symref?.startsWith("refs/heads/") ? head.symref.slice("refs/heads/".length) : null;
  const headBranch = headRef && branches.includes(headRef) ? headRef : null;
  const ordered = headBranch ? [headBranch, ...branches.filter((b) => b !== headBranch)] : branches;
  return { branches: ordered, headBranch, source };
}
