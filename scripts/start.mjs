// `npm start`: builds when the sources changed since the last build, then serves Foreman.
// With no DATABASE_URL it runs on the embedded database in .data/pglite; migrations apply on start.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, nextBin, root } from "./lib/build.mjs";
import { startServerProcesses, workerMode } from "./lib/processes.mjs";
import { ensureSandboxTools } from "./lib/sandbox-deps.mjs";

process.chdir(root);
const dataDir = path.resolve(process.env.FOREMAN_DATA_DIR ?? ".data");
fs.mkdirSync(dataDir, { recursive: true });

/** A stable secret for session cookies, generated once per data folder unless AUTH_SECRET is set. */
function authSecret() {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

await buildIfNeeded();
ensureSandboxTools();

const port = process.env.PORT ?? "3000";
const database = process.env.DATABASE_URL
  ? "PostgreSQL"
  : `embedded database in ${path.relative(root, dataDir) || "."}/pglite`;
const worker =
  workerMode() === "process"
    ? "runs in a worker process of its own"
    : "runs in a thread of the web server's process";
console.log(`[foreman] starting on http://localhost:${port} (${database}); agent work ${worker}`);
startServerProcesses({
  web: [nextBin, "start", "-p", port],
  env: {
    ...process.env,
    AUTH_SECRET: authSecret(),
    NEXT_TELEMETRY_DISABLED: "1",
    FOREMAN_DATA_DIR: dataDir,
    NEXT_MANUAL_SIG_HANDLE: "1",
  },
});
