// The spawner: a small long-lived process that starts Foreman's child processes (sandboxed commands, git)
// for the server. fork() of the server's large heap costs tens of ms of its event loop per process under
// load; this process's heap is tiny. It imports nothing of the app and never sees the server's environment:
// every spawn names its own env.
//
// Protocol: newline-delimited JSON, requests on stdin, replies on stdout (binary data base64).
//   → {t:"spawn", id, file, args, cwd, env, detached, stdio: ["ignore"|"pipe", …]}
//   → {t:"write", id, fd, data} · {t:"end", id, fd} · {t:"kill", id, signal} · {t:"killGroup", id, pid, graceMs}
//   → {t:"remove", id, path}: removes a folder and all it holds (a run's), symlinks as links, never followed
//   ← {t:"spawned", id, pid} · {t:"data", id, fd, data} · {t:"error", id, message, code}
//   ← {t:"exit", id, code, signal} · {t:"close", id, code, signal} · {t:"groupGone", id}
//   ← {t:"removed", id, message?, code?} (message: why it could not be removed)
// When stdin ends (the server is gone, however it went), every process group still running is killed
// and the spawner exits: nothing it started outlives the server.
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { killGroup, signalGroup } from "./group.mjs";

/** id → { child, detached } */
const children = new Map();

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function start(request) {
  const { id } = request;
  let child;
  try {
    child = spawn(request.file, request.args ?? [], {
      cwd: request.cwd,
      env: request.env,
      detached: request.detached === true,
      stdio: request.stdio ?? ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    send({ t: "error", id, message: error.message, code: error.code });
    send({ t: "close", id, code: null, signal: null });
    return;
  }
  children.set(id, { child, detached: request.detached === true });
  if (child.pid !== undefined) send({ t: "spawned", id, pid: child.pid });
  child.stdio.forEach((stream, fd) => {
    if (!stream) return;
    stream.on("error", () => {}); // a command that closed its end early; its exit says the rest
    if (stream.readable && fd !== 0 && fd !== 3 && fd !== 4) {
      stream.on("data", (chunk) => send({ t: "data", id, fd, data: chunk.toString("base64") }));
    }
  });
  child.on("error", (error) => {
    send({ t: "error", id, message: error.message, code: error.code });
    // One that never started may emit no close.
    if (child.pid === undefined && children.delete(id)) send({ t: "close", id, code: null, signal: null });
  });
  child.on("exit", (code, signal) => send({ t: "exit", id, code, signal }));
  child.on("close", (code, signal) => {
    if (children.delete(id)) send({ t: "close", id, code, signal });
  });
}

function writable(id, fd) {
  const stream = children.get(id)?.child.stdio[fd];
  return stream?.writable ? stream : undefined;
}

/** A folder tree removed here, so the server's thread does none of its many file operations. */
function remove(request) {
  const { id } = request;
  if (
    typeof request.path !== "string" ||
    !path.isAbsolute(request.path) ||
    path.resolve(request.path) === "/"
  ) {
    send({
      t: "removed",
      id,
      message: `refusing to remove ${JSON.stringify(request.path)}: not an absolute folder`,
    });
    return;
  }
  rm(request.path, { recursive: true, force: true }).then(
    () => send({ t: "removed", id }),
    (error) => send({ t: "removed", id, message: error.message, code: error.code }),
  );
}

function handle(request) {
  const entry = children.get(request.id);
  switch (request.t) {
    case "spawn":
      return start(request);
    case "remove":
      return remove(request);
    case "write":
      return writable(request.id, request.fd)?.write(Buffer.from(request.data, "base64"));
    case "end":
      return writable(request.id, request.fd)?.end();
    case "kill":
      if (!entry?.child.pid) return;
      if (entry.detached) signalGroup(entry.child.pid, request.signal);
      else entry.child.kill(request.signal);
      return;
    case "killGroup": {
      // After close the group may still hold what the command left running: the server names the pid.
      const pid = entry?.child.pid ?? request.pid;
      const done = () => send({ t: "groupGone", id: request.id });
      if (!pid) return done();
      void killGroup(pid, request.graceMs ?? 0).then(done, done);
      return;
    }
  }
}

let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  pending += chunk;
  let newline = pending.indexOf("\n");
  while (newline !== -1) {
    const line = pending.slice(0, newline);
    pending = pending.slice(newline + 1);
    if (line) {
      try {
        handle(JSON.parse(line));
      } catch (error) {
        process.stderr.write(`[spawner] bad request: ${error.message}\n`);
      }
    }
    newline = pending.indexOf("\n");
  }
});
process.stdin.on("end", () => {
  for (const { child, detached } of children.values()) {
    if (!child.pid) continue;
    if (detached) signalGroup(child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  }
  process.exit(0);
});
// The server stops its spawner by closing stdin, once it is done with its commands; a Ctrl-C meant for
// the server (the whole terminal's process group) must not end the commands it is still waiting for.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => {});
process.stdout.on("error", () => process.exit(0));
