// The app under test: `next start` on the prepared database (DATABASE_URL), or on a fresh PGlite folder,
// with its model at the fake Messages API server beside it (fake-model-server.ts: scenarios by prompt
// marker, the offline demo script otherwise).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServerProcesses } from "../../scripts/lib/processes.mjs";

const port = process.env.PORT ?? "3210";
const modelPort = process.env.E2E_MODEL_PORT ?? "3211";
const env = {
  ...process.env,
  AUTH_SECRET: "e2e-secret-not-for-production",
  // Only this server answers the suite's fixture hooks (lib/metrics/e2e-hook.ts): never set it elsewhere.
  FOREMAN_E2E_HOOKS: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXT_MANUAL_SIG_HANDLE: "1",
  ANTHROPIC_API_KEY: "e2e-fake-key",
  ANTHROPIC_BASE_URL: `http://127.0.0.1:${modelPort}`,
  // The demo agent's model too (lib/demo/model.ts), so specs can give it a scenario.
  FOREMAN_DEMO_MODEL_URL: `http://127.0.0.1:${modelPort}`,
};
if (!env.DATABASE_URL) env.FOREMAN_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-"));

const model = spawn(
  process.execPath,
  ["--import", "tsx", "--conditions=react-server", "e2e/support/fake-model-server.ts"],
  { stdio: "inherit", env: { ...process.env, E2E_MODEL_PORT: modelPort } },
);
model.on("exit", (code) => {
  if (code) console.error(`[e2e] the fake model server exited with ${code}`);
});
// As `npm start` runs it: on PostgreSQL, agent work in a worker process beside the web server.
startServerProcesses({
  web: ["node_modules/next/dist/bin/next", "start", "-p", port],
  env,
  companions: [model],
});
