// Ending a command's process group: shared by the spawner process (./spawner-process.mjs) and, with
// FOREMAN_SPAWNER=off, the server itself. Node builtins only: the spawner imports nothing of the app.
import fs from "node:fs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a process group still has a live (non-zombie) member. */
export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill(0) also succeeds for zombies nobody has reaped yet; on Linux, look closer.
  if (process.platform !== "linux") return true;
  let entries;
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp …" — comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

export function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the whole group, SIGKILL after the grace period to whatever is left. */
export async function killGroup(pgid, graceMs) {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(25);
    if (!groupAlive(pgid)) return;
  }
  signalGroup(pgid, "SIGKILL");
  const hardDeadline = Date.now() + 1_000;
  while (Date.now() < hardDeadline && groupAlive(pgid)) await sleep(25);
}
