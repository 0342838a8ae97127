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
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A recycled pid after a reboot or container restart belongs to some other program.
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("node");
  } catch {
    return true;
  }
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
    if (holder && isAlive(holder.pid)) throw new DatabaseInUseError(dataDir, holder);
    // The holder died without cleaning up (kill -9, power loss): the lock is stale.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the embedded database lock ${file}`);
}
