import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { embeddedEnv, freePort } from "./support/app-process";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm start` as a person runs it, on its own port, with its output kept and "does it answer?" asked. */
async function npmStart(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  let log = "";
  const npm = spawn("npm", ["start"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [npm.stdout, npm.stderr]) {
    stream?.on("data", (chunk) => {
      log += chunk;
    });
  }
  const answers = async () => {
    try {
      return (await fetch(`http://localhost:${port}/sign-in`, { redirect: "manual" })).status < 500;
    } catch {
      return false;
    }
  };
  return { npm, answers, log: () => log };
}

test("stopping `npm start` (SIGTERM to npm) stops the server: nothing is left listening", async () => {
  test.setTimeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-shutdown-"));
  const { npm, answers, log } = await npmStart(embeddedEnv(dataDir));
  try {
    await expect.poll(answers, { timeout: 90_000, message: log() }).toBe(true);
    expect(log()).toContain("[foreman] sandbox: bubblewrap");
    // On the embedded database agent work runs in a thread of the web server, not on its main thread.
    await expect.poll(log, { timeout: 30_000 }).toMatch(/worker \S+:\d+:\w+ in a thread of the web server/);
    npm.kill("SIGTERM");
    await expect.poll(answers, { timeout: 15_000 }).toBe(false);
    await expect.poll(log, { timeout: 15_000 }).toContain("[foreman] SIGTERM: closing the database");
  } finally {
    npm.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("on PostgreSQL, `npm start` runs agent work in a worker process of its own, and stopping stops both", async () => {
  test.skip(!process.env.DATABASE_URL, "needs PostgreSQL");
  test.setTimeout(120_000);
  // A database of this test's own: a second server on the suite's database would take its runs.
  const name = `foreman_e2e_workerproc_${Date.now()}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL ?? "");
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-workerproc-"));
  const { npm, answers, log } = await npmStart({ ...embeddedEnv(dataDir), DATABASE_URL: url.toString() });
  try {
    await expect.poll(answers, { timeout: 90_000, message: log() }).toBe(true);
    expect(log()).toContain("agent work runs in a worker process of its own");
    await expect
      .poll(log, { timeout: 30_000 })
      .toMatch(/\[worker\] \S+:\d+:\w+ taking up to \d+ runs at once/);
    // The web server itself takes no runs.
    expect(log()).not.toContain("in a thread of the web server");
    const workerPid = Number(log().match(/\[worker\] \S+:(\d+):\w+ taking up to/)?.[1]);
    expect(alive(workerPid)).toBe(true);
    npm.kill("SIGTERM");
    await expect.poll(answers, { timeout: 15_000 }).toBe(false);
    await expect.poll(() => alive(workerPid), { timeout: 15_000, message: log() }).toBe(false);
  } finally {
    npm.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
});
