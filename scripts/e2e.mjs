// `npm run test:e2e`: Playwright in Chromium against a production build, on a fresh database.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { ensureChromium } from "./lib/browser.mjs";
import { buildIfNeeded, root } from "./lib/build.mjs";

process.chdir(root);
fs.mkdirSync("e2e/.auth", { recursive: true });
const chromium = await ensureChromium();
await buildIfNeeded();

const env = { ...process.env, FOREMAN_CHROMIUM: chromium };
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  // The suite's own database on the same server, so it never touches anyone else's rows.
  const name = `foreman_e2e_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
}

const result = spawnSync(
  process.execPath,
  ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)],
  {
    stdio: "inherit",
    env,
  },
);
await dropDatabase().catch((error) =>
  console.error("[e2e] could not drop the test database:", error.message),
);
process.exit(result.status ?? 1);
