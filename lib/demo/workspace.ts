// "Load demo workspace": a small real git repository with a failing test, and an agent that runs on the
// offline demo model — enough to see Foreman work end to end without an API key.
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { dataDir, getDb } from "@/db";
import { agents, modelPrices, repositories } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { git } from "@/lib/git/runner";
import { DEMO_MODEL } from "./script";

export const DEMO_REPO_NAME = "demo-calculator";
export const DEMO_AGENT_NAME = "Demo (offline)";

/** Where a team's demo repository lives: the one repository source allowed inside the data folder. */
export const demoRepoDir = (teamId: string) => path.join(dataDir(), "demo", teamId, DEMO_REPO_NAME);

const FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "demo-calculator", version: "1.0.0", private: true, type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
  "README.md":
    "# demo-calculator\n\nA tiny library with a failing test, for trying Foreman without an API key.\n\nRun the tests with `node --test`.\n",
  "src/math.js":
    "export function add(a, b) {\n  return a - b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n",
  "test/math.test.js":
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { add, multiply } from "../src/math.js";\n\ntest("add sums two numbers", () => {\n  assert.equal(add(2, 3), 5);\n});\n\ntest("multiply multiplies two numbers", () => {\n  assert.equal(multiply(4, 3), 12);\n});\n',
};

async function createDemoRepository(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(FILES)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), content);
  }
  await git(["init", "--quiet", "--initial-branch=main", dir]);
  const repo = { gitDir: path.join(dir, ".git"), workTree: dir };
  await git(["add", "--all"], repo);
  await git(["commit", "--quiet", "-m", "A calculator with a failing test"], {
    ...repo,
    env: {
      GIT_AUTHOR_NAME: "Foreman",
      GIT_AUTHOR_EMAIL: "foreman@localhost",
      GIT_COMMITTER_NAME: "Foreman",
      GIT_COMMITTER_EMAIL: "foreman@localhost",
    },
  });
}

/** Creates (or finds) the demo repository, its zero-priced demo model and the demo agent. Idempotent. */
export async function loadDemoWorkspace(actor: Actor) {
  authorize(actor, "settings:manage");
  const dir = demoRepoDir(actor.teamId);
  try {
    await fs.access(path.join(dir, ".git"));
  } catch {
    await fs.rm(dir, { recursive: true, force: true });
    await createDemoRepository(dir);
  }
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx
      .insert(modelPrices)
      .values({
        teamId: actor.teamId,
        model: DEMO_MODEL,
        inputPerMtok: 0,
        outputPerMtok: 0,
        cacheWritePerMtok: 0,
        cacheReadPerMtok: 0,
      })
      .onConflictDoNothing();
    let [repo] = await tx
      .select()
      .from(repositories)
      .where(and(eq(repositories.teamId, actor.teamId), eq(repositories.name, DEMO_REPO_NAME)));
    if (!repo) {
      [repo] = await tx
        .insert(repositories)
        .values({
          teamId: actor.teamId,
          name: DEMO_REPO_NAME,
          source: dir,
          defaultBranch: "main",
          testCommand: "node --test",
          createdBy: actor.userId,
        })
        .returning();
    }
    let [agent] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.teamId, actor.teamId), eq(agents.name, DEMO_AGENT_NAME)));
    if (!agent) {
      [agent] = await tx
        .insert(agents)
        .values({
          teamId: actor.teamId,
          name: DEMO_AGENT_NAME,
          model: DEMO_MODEL,
          systemPrompt: "You are the offline demo agent. Keep changes minimal.",
          maxSteps: 20,
          maxCostUsd: 1,
          maxDurationSec: 600,
          riskyPatterns: ["\\brm\\s+-rf\\b", "\\bgit\\s+push\\b", "\\bsudo\\b"],
          rules: ["Run the test command before finishing."],
          createdBy: actor.userId,
        })
        .returning();
    }
    if (!repo || !agent) throw new Error("demo workspace insert returned nothing");
    await recordAudit(tx, actor, "demo.loaded", { type: "repository", id: repo.id }, { agentId: agent.id });
    return { repo, agent };
  });
}
