// This process's side of the spawner (./spawner-process.mjs): one helper process, started on first use,
// and a ChildProcess-like object per process it starts. When the helper dies, every process it had
// started is killed and fails with SpawnerStoppedError; the next spawn starts a new helper.
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import type { SpawnedProcess, SpawnOptions } from "./spawn";

export class SpawnerStoppedError extends Error {
  readonly code = "ESPAWNER";
  constructor(how: string) {
    super(`Foreman's process spawner stopped (${how}); the command was ended with it`);
    this.name = "SpawnerStoppedError";
  }
}

type Reply =
  | { t: "spawned"; id: number; pid: number }
  | { t: "data"; id: number; fd: number; data: string }
  | { t: "error"; id: number; message: string; code?: string }
  | { t: "exit" | "close"; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { t: "groupGone"; id: number }
  | { t: "removed"; id: number; message?: string; code?: string };

/** A request in flight: a process the helper started, or a removal. */
interface Pending {
  receive(reply: Reply): void;
  /** The helper died. */
  fail(error: Error): void;
}

interface Connection {
  helper: ChildProcess;
  send(message: object): void;
  processes: Map<number, Pending>;
}

let connection: Connection | undefined;
let nextId = 0;

/** The helper's script, read from the app's folder at run time (never bundled). */
function scriptPath(): string {
  return path.join(/* turbopackIgnore: true */ process.cwd(), "lib", "spawner", "spawner-process.mjs");
}

/** While requests are in flight the helper's pipe keeps this process alive; otherwise it mustn't. */
function holdOpen(conn: Connection) {
  const out = conn.helper.stdout as Socket | null;
  if (conn.processes.size > 0) out?.ref();
  else out?.unref();
}

function connect(): Connection {
  if (connection) return connection;
  // Only PATH: every spawn names its child's whole environment; the helper needs none of the server's.
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  const helper = spawn(process.execPath, [scriptPath()], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const processes = new Map<number, Pending>();
  const conn: Connection = {
    helper,
    processes,
    send: (message) => helper.stdin?.write(`${JSON.stringify(message)}\n`),
  };
  connection = conn;
  helper.unref();
  (helper.stdin as Socket | null)?.unref();
  helper.stdin?.on("error", () => {}); // the helper died: its exit fails what was in flight
  let pending = "";
  helper.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      let reply: Reply | undefined;
      try {
        reply = line ? (JSON.parse(line) as Reply) : undefined;
      } catch {
        console.error(`[spawner] unreadable reply: ${line.slice(0, 200)}`);
      }
      if (reply) processes.get(reply.id)?.receive(reply);
      newline = pending.indexOf("\n");
    }
  });
  const stopped = (how: string) => {
    if (connection === conn) connection = undefined;
    const failure = new SpawnerStoppedError(how);
    for (const child of processes.values()) child.fail(failure);
    processes.clear();
  };
  helper.on("error", (error) => stopped(error.message));
  // "close", not "exit": replies still in the pipe when it died are read first.
  helper.on("close", (code, signal) => stopped(signal ?? `exit code ${code}`));
  holdOpen(conn);
  return conn;
}

/** The helper's pid (tests and benchmarks), starting it if needed. */
export function spawnerPid(): number | undefined {
  return connect().helper.pid;
}

class RemoteProcess extends EventEmitter implements SpawnedProcess {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stdio: (Readable | Writable | null)[];
  private closed = false;
  private groupWaiters: (() => void)[] = [];

  constructor(
    private readonly conn: Connection,
    private readonly id: number,
    private readonly detached: boolean,
    stdio: SpawnOptions["stdio"],
  ) {
    super();
    this.stdio = stdio.map((setting, fd) => {
      if (setting !== "pipe") return null;
      if (fd === 1 || fd === 2) return new Readable({ read() {} });
      return new Writable({
        write: (chunk: Buffer, _encoding, callback) => {
          this.conn.send({ t: "write", id, fd, data: Buffer.from(chunk).toString("base64") });
          callback();
        },
        final: (callback) => {
          this.conn.send({ t: "end", id, fd });
          callback();
        },
      });
    });
  }

  get stdin() {
    return (this.stdio[0] as Writable | null) ?? null;
  }
  get stdout() {
    return (this.stdio[1] as Readable | null) ?? null;
  }
  get stderr() {
    return (this.stdio[2] as Readable | null) ?? null;
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    if (this.closed) return false;
    this.conn.send({ t: "kill", id: this.id, signal });
    return true;
  }

  killGroup(graceMs: number): Promise<void> {
    // Nothing to end: not our own group, never started, or the helper (and so the group) is gone.
    if (!this.detached || connection !== this.conn || (this.closed && this.pid === undefined))
      return Promise.resolve();
    return new Promise((resolve) => {
      this.groupWaiters.push(resolve);
      this.conn.processes.set(this.id, this); // until the reply, even after close
      holdOpen(this.conn);
      this.conn.send({ t: "killGroup", id: this.id, pid: this.pid, graceMs });
    });
  }

  receive(reply: Reply) {
    switch (reply.t) {
      case "spawned":
        this.pid = reply.pid;
        return;
      case "data":
        (this.stdio[reply.fd] as Readable | null)?.push(Buffer.from(reply.data, "base64"));
        return;
      case "error":
        return this.emit("error", Object.assign(new Error(reply.message), { code: reply.code }));
      case "exit":
        this.exitCode = reply.code;
        this.signalCode = reply.signal;
        return this.emit("exit", reply.code, reply.signal);
      case "groupGone":
        return this.settleGroup();
      case "close":
        return this.close(reply.code, reply.signal);
    }
  }

  private settleGroup() {
    for (const resolve of this.groupWaiters.splice(0)) resolve();
    this.release();
  }

  /** Forgotten once closed and no group kill is pending (a killGroup after close still has its reply). */
  private release() {
    if (this.closed && this.groupWaiters.length === 0 && this.conn.processes.get(this.id) === this) {
      this.conn.processes.delete(this.id);
      holdOpen(this.conn);
    }
  }

  private close(code: number | null, signal: NodeJS.Signals | null) {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.stdio) if (stream instanceof Readable) stream.push(null);
    this.release();
    // After the streams' last 'data' (delivered on later ticks), as child_process orders them.
    setImmediate(() => this.emit("close", code, signal));
  }

  /** The helper died: what this process started is killed, and it fails with `error`. */
  fail(error: Error) {
    if (this.closed) return;
    if (this.pid !== undefined) {
      try {
        process.kill(this.detached ? -this.pid : this.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    this.emit("error", error);
    if (this.exitCode === null && this.signalCode === null) {
      this.signalCode = "SIGKILL";
      this.emit("exit", null, "SIGKILL");
    }
    for (const resolve of this.groupWaiters.splice(0)) resolve();
    this.close(null, this.signalCode);
  }
}

/**
 * Removes `target` (an absolute path) and everything in it in the helper: a run's folder holds a whole
 * checkout, and removing it here cost the engine's thread a file operation per entry.
 */
export function removeTreeRemote(target: string): Promise<void> {
  const conn = connect();
  const id = ++nextId;
  return new Promise<void>((resolve, reject) => {
    conn.processes.set(id, {
      receive(reply) {
        if (reply.t !== "removed") return;
        conn.processes.delete(id);
        holdOpen(conn);
        if (reply.message === undefined) resolve();
        else reject(Object.assign(new Error(reply.message), { code: reply.code }));
      },
      fail: reject,
    });
    holdOpen(conn);
    conn.send({ t: "remove", id, path: target });
  });
}

export function spawnRemote(file: string, args: string[], options: SpawnOptions): SpawnedProcess {
  const conn = connect();
  const id = ++nextId;
  const child = new RemoteProcess(conn, id, options.detached === true, options.stdio);
  conn.processes.set(id, child);
  holdOpen(conn);
  conn.send({
    t: "spawn",
    id,
    file,
    args,
    cwd: options.cwd,
    env: options.env,
    detached: options.detached === true,
    stdio: options.stdio,
  });
  return child;
}
