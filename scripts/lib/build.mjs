// Builds the Next app only when its sources changed since the last build (shared by start and e2e).
import { spawn } from "node:child_process";
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

const elapsed = (since) => {
  const seconds = Math.round((Date.now() - since) / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
};

/**
 * Runs `next build` unless .next already holds a build of exactly these sources. The first build takes
 * minutes and Next prints nothing for long stretches of it, so a line every 20 s says it is still going.
 */
export async function buildIfNeeded() {
  const stampFile = path.join(root, ".next", "foreman-source-hash");
  const fingerprint = sourceFingerprint();
  const built =
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, "utf8") === fingerprint;
  if (built && process.env.FOREMAN_FORCE_BUILD !== "1") return;
  console.log(
    "[foreman] building the app (first start, or the sources changed): this takes a few minutes; later starts skip it…",
  );
  const started = Date.now();
  const child = spawn(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const heartbeat = setInterval(() => console.log(`[foreman] still building… ${elapsed(started)}`), 20_000);
  const status = await new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  clearInterval(heartbeat);
  if (status !== 0) process.exit(status);
  fs.writeFileSync(stampFile, fingerprint);
  console.log(`[foreman] built in ${elapsed(started)}`);
}
