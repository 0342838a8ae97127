import fs from "node:fs";
import path from "node:path";

/**
 * PGlite has no lock of its own: two processes writing the same folder silently lose rows.
 * This lock file makes a second process fail with a clear message instead.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Foreman process ` +
        `(pid ${holder.pid}, "${holder.command}", since ${holder.since}). ` +
        "Only one process may open it at a time: stop that process first, " +
        "or run Foreman on PostgreSQL by setting DATABASE_URL.",
    );
    this.name = "DatabaseInUseError";
  }
}

interface LockInfo {
  pid: number;
  command: string;
  since: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a recycled pid apart. */
  startTicks?: string | null;
}

function startTicks(pid: number | "self"): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may contain spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockInfo): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // After a reboot or container restart the pid may belong to some other program now.
  const ticks = startTicks(holder.pid);
  return !holder.startTicks || !ticks || ticks === holder.startTicks;
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/** Takes the lock for this process or throws DatabaseInUseError. Returns a release function. */
export function acquirePgliteLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "pglite.lock");
  const mine: LockInfo = {
    pid: process.pid,
    command: process.argv.slice(1, 3).join(" "),
    since: new Date().toISOString(),
    startTicks: startTicks("self"),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: "wx" });
      const release = () => {
        if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLock(file);
    if (holder && holder.pid === process.pid) return () => {};
    if (holder && isAlive(holder)) throw new DatabaseInUseError(dataDir, holder);
    // The holder died without cleaning up (kill -9, power loss): the lock is stale.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the embedded database lock ${file}`);
}
