// `npm start`: builds when the sources changed since the last build, then serves Foreman.
// With no DATABASE_URL it runs on the embedded database in .data/pglite; migrations apply on start.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const dataDir = path.resolve(process.env.FOREMAN_DATA_DIR ?? ".data");
fs.mkdirSync(dataDir, { recursive: true });

function authSecret() {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

const SOURCES = [
  "app",
  "components",
  "lib",
  "db",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.js",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];

function walk(entry, hash) {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry).sort()) walk(path.join(entry, name), hash);
  } else {
    hash.update(entry).update(fs.readFileSync(entry));
  }
}

function sourceFingerprint() {
  const hash = createHash("sha256");
  for (const entry of SOURCES) walk(entry, hash);
  return hash.digest("hex");
}

const stampFile = path.join(".next", "foreman-source-hash");
const fingerprint = sourceFingerprint();
const built =
  fs.existsSync(path.join(".next", "BUILD_ID")) &&
  fs.existsSync(stampFile) &&
  fs.readFileSync(stampFile, "utf8") === fingerprint;
const nextBin = path.join("node_modules", "next", "dist", "bin", "next");

if (!built || process.env.FOREMAN_FORCE_BUILD === "1") {
  console.log("[foreman] building the app (first start or sources changed)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stampFile, fingerprint);
}

const port = process.env.PORT ?? "3000";
console.log(
  `[foreman] starting on http://localhost:${port} (${process.env.DATABASE_URL ? "PostgreSQL" : `embedded database in ${path.relative(root, dataDir) || "."}/pglite`})`,
);
const child = spawn(process.execPath, [nextBin, "start", "-p", port], {
  stdio: "inherit",
  env: { ...process.env, AUTH_SECRET: authSecret(), NEXT_TELEMETRY_DISABLED: "1", FOREMAN_DATA_DIR: dataDir },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
