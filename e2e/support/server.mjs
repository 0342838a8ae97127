// The app under test: `next start` on the prepared database (DATABASE_URL), or on a fresh PGlite folder.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const port = process.env.PORT ?? "3210";
const env = {
  ...process.env,
  AUTH_SECRET: "e2e-secret-not-for-production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXT_MANUAL_SIG_HANDLE: "1",
};
if (!env.DATABASE_URL) env.FOREMAN_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-e2e-"));

const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
