// `npm test`: typecheck, lint, unit/integration tests (vitest), end-to-end tests (Playwright).
// Integration tests use PostgreSQL when DATABASE_URL is set, PGlite otherwise.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root } from "./lib/build.mjs";

process.chdir(root);
fs.rmSync(".test-reports", { recursive: true, force: true });
fs.mkdirSync(".test-reports", { recursive: true });

const bin = (name) => path.join("node_modules", ".bin", name);
const stages = [
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit"] },
  { name: "lint", command: bin("biome"), args: ["check", "."] },
  {
    name: "unit and integration (vitest)",
    command: bin("vitest"),
    args: ["run", "--reporter=default", "--reporter=json", "--outputFile.json=.test-reports/unit.json"],
  },
  { name: "end-to-end (Playwright, Chromium)", command: process.execPath, args: ["scripts/e2e.mjs"] },
];

const failed = [];
for (const stage of stages) {
  console.log(`\n━━ ${stage.name} ━━  (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
  const result = spawnSync(stage.command, stage.args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) failed.push(stage.name);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}
const unit = readJson(".test-reports/unit.json");
const e2e = readJson(".test-reports/e2e.json");
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0);
const failedTests = (unit?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0) + (e2e?.stats?.flaky ?? 0);
const skipped = (unit?.numPendingTests ?? 0) + (unit?.numTodoTests ?? 0) + (e2e?.stats?.skipped ?? 0);

console.log("\n━━ summary ━━");
console.log(`vitest: ${unit?.numPassedTests ?? 0} passed, ${unit?.numFailedTests ?? 0} failed`);
console.log(`playwright: ${e2e?.stats?.expected ?? 0} passed, ${e2e?.stats?.unexpected ?? 0} failed`);
if (failed.length) console.log(`failed stages: ${failed.join(", ")}`);
console.log(`${passed} passed, ${failedTests} failed, ${skipped} skipped`);
process.exit(failed.length ? 1 : 0);
