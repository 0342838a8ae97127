// Runs real agent loops in tests: a real git repository, the real SDK pointed at the fake Messages API
// server on loopback, the real database. Only the model's answers are scripted.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { modelPrices, runEvents, runs, tasks } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { createModelClient } from "@/lib/engine/model-client";
import { claimRun } from "@/lib/queue/claim";
import { startFakeAnthropic } from "./fake-anthropic";
import { teamAdmin } from "./fixtures";
import { insertRun } from "./run-fixtures";

export function makeSourceRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-engine-src-"));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}

export const CALCULATOR = {
  "package.json": '{"type":"module"}\n',
  "src/add.js": "export const add = (a, b) => a - b;\n",
  "test/add.test.js":
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { add } from "../src/add.js";\ntest("add", () => assert.equal(add(2, 3), 5));\n',
};

export async function engineSetup(
  options: {
    files?: Record<string, string>;
    testCommand?: string;
    agent?: NonNullable<Parameters<typeof insertRun>[1]>["agent"];
    repo?: NonNullable<Parameters<typeof insertRun>[1]>["repo"];
    contextWindow?: number;
  } = {},
) {
  const admin = await teamAdmin();
  const source = makeSourceRepo(options.files ?? CALCULATOR);
  const fixture = await insertRun(admin, {
    source,
    testCommand: options.testCommand ?? "node --test",
    agent: options.agent,
    repo: options.repo,
  });
  const db = await getDb();
  if (options.contextWindow) {
    await db
      .update(modelPrices)
      .set({ contextWindow: options.contextWindow })
      .where(eq(modelPrices.model, fixture.agent.model));
  }
  const fake = await startFakeAnthropic();
  const client = createModelClient({ apiKey: "sk-test", baseURL: fake.url });

  async function events() {
    return db.select().from(runEvents).where(eq(runEvents.runId, fixture.run.id)).orderBy(asc(runEvents.seq));
  }
  async function runRow() {
    const [row] = await db.select().from(runs).where(eq(runs.id, fixture.run.id));
    if (!row) throw new Error("run vanished");
    return row;
  }
  async function taskRow() {
    const [row] = await db.select().from(tasks).where(eq(tasks.id, fixture.task.id));
    return row;
  }
  /** Claims the run as `workerId` and executes it to its end. */
  async function execute(workerId = "worker-test") {
    const claimed = await claimRun(workerId);
    if (claimed?.id !== fixture.run.id)
      throw new Error(`expected to claim ${fixture.run.id}, got ${claimed?.id}`);
    await executeRun(claimed, { workerId, client });
    return runRow();
  }
  function sourceGit(...args: string[]) {
    return execFileSync("git", args, { cwd: source, encoding: "utf8" }).trim();
  }
  return { admin, ...fixture, source, fake, client, events, runRow, taskRow, execute, sourceGit, db };
}

export type EngineSetup = Awaited<ReturnType<typeof engineSetup>>;
