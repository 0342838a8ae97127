// Finds a Chromium for the end-to-end tests, installing one where this machine allows it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

async function playwrightChromium() {
  try {
    const { chromium } = await import("@playwright/test");
    const file = chromium.executablePath();
    return fs.existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

export async function findChromium() {
  const fromEnv = process.env.FOREMAN_CHROMIUM;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  return SYSTEM_PATHS.find((file) => fs.existsSync(file)) ?? (await playwrightChromium());
}

function run(command, args) {
  console.log(`[e2e] ${command} ${args.join(" ")}`);
  return (
    spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
      .status === 0
  );
}

export async function ensureChromium() {
  const found = await findChromium();
  if (found) return found;
  console.log("[e2e] no Chromium found; trying to install one");
  const isRoot = process.getuid?.() === 0;
  if (isRoot && spawnSync("which", ["apt-get"]).status === 0) {
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "chromium"]);
  }
  if (!(await findChromium())) run("npx", ["playwright", "install", "chromium"]);
  const installed = await findChromium();
  if (installed) return installed;
  throw new Error(
    "No Chromium browser for the end-to-end tests, and none could be installed here. Install one with " +
      "`sudo apt-get install chromium` (Debian/Ubuntu) or `npx playwright install chromium`, " +
      "or point FOREMAN_CHROMIUM at a Chrome/Chromium binary.",
  );
}
