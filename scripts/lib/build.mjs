// Builds the Next app only when its sources changed since the last build (shared by start and e2e).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
export const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

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
  if (fs.statSync(entry).isDirectory()) {
    for (const name of fs.readdirSync(entry).sort()) walk(path.join(entry, name), hash);
  } else if (!/\.test\.tsx?$/.test(entry)) {
    hash.update(entry).update(fs.readFileSync(entry));
  }
}

function sourceFingerprint() {
  const hash = createHash("sha256");
  for (const entry of SOURCES) walk(path.join(root, entry), hash);
  return hash.digest("hex");
}

/** Runs `next build` unless .next already holds a build of exactly these sources. */
export function buildIfNeeded() {
  const stampFile = path.join(root, ".next", "foreman-source-hash");
  const fingerprint = sourceFingerprint();
  const built =
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, "utf8") === fingerprint;
  if (built && process.env.FOREMAN_FORCE_BUILD !== "1") return;
  console.log("[foreman] building the app (first start or sources changed)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stampFile, fingerprint);
}
