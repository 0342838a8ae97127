// Each test file gets a database of its own: a fresh PostgreSQL database when DATABASE_URL is set,
// otherwise a fresh PGlite folder. Tests never share rows, and never touch anyone else's data.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { closeDb } from "@/db";

// Tests run like a deployment with a key configured (agents on real models can be assigned); every model
// call still goes to the fake Messages API through an explicit client. No-key tests delete it themselves.
process.env.ANTHROPIC_API_KEY ??= "sk-test-configured";

const baseUrl = process.env.FOREMAN_TEST_BASE_DATABASE_URL ?? process.env.DATABASE_URL;
process.env.FOREMAN_TEST_BASE_DATABASE_URL = baseUrl ?? "";
let cleanup: (() => Promise<void>) | undefined;

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await closeDb();
  // Clones, worktrees and (without DATABASE_URL) the PGlite folder live in a folder of the test file's own.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-test-"));
  process.env.FOREMAN_DATA_DIR = dir;
  const removeDir = async () => fs.rmSync(dir, { recursive: true, force: true });
  if (baseUrl) {
    const name = `foreman_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    cleanup = async () => {
      await adminQuery(`drop database if exists ${name} with (force)`);
      await removeDir();
    };
  } else {
    delete process.env.DATABASE_URL;
    cleanup = removeDir;
  }
});

afterAll(async () => {
  await closeDb();
  await cleanup?.();
});
