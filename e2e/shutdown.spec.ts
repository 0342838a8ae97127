import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { embeddedEnv, freePort } from "./support/app-process";

test("stopping `npm start` (SIGTERM to npm) stops the server: nothing is left listening", async () => {
  test.setTimeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-shutdown-"));
  const port = await freePort();
  let log = "";
  const npm = spawn("npm", ["start"], {
    env: { ...embeddedEnv(dataDir), PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  npm.stdout?.on("data", (chunk) => {
    log += chunk;
  });
  npm.stderr?.on("data", (chunk) => {
    log += chunk;
  });
  const answers = async () => {
    try {
      return (await fetch(`http://localhost:${port}/sign-in`, { redirect: "manual" })).status < 500;
    } catch {
      return false;
    }
  };
  try {
    await expect.poll(answers, { timeout: 90_000, message: log }).toBe(true);
    expect(log).toContain("[foreman] sandbox: bubblewrap");
    npm.kill("SIGTERM");
    await expect.poll(answers, { timeout: 15_000 }).toBe(false);
    await expect.poll(() => log, { timeout: 15_000 }).toContain("[foreman] SIGTERM: closing the database");
  } finally {
    npm.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
